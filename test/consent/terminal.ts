// A real pseudo-terminal for tests, driven through tmux: the program under test sees a TTY on
// stdin, stdout and stderr, reads keys as a person types them, and we read back the screen.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether tmux can be run here. */
export const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;

/** One program running in its own tmux server, on a terminal of a fixed size. */
export interface Terminal {
  /** Everything printed so far, scrollback included (wrapped lines joined, tmux's own lines left out). */
  screen(): string;
  /** Waits until the screen matches, and returns it; fails with the screen when it never does. */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Types text literally, as a person would (no Enter). */
  type(text: string): void;
  /** Presses keys by tmux name: `Enter`, `C-c`, `C-d`. */
  press(...keys: string[]): void;
  /** Waits for the program to exit and returns its exit status. */
  exited(timeoutMs?: number): Promise<number>;
  /** Stops the tmux server and removes its socket directory. */
  close(): void;
}

export interface TerminalOptions {
  /** The whole environment of the program (nothing leaks in from the test runner or tmux). */
  readonly env: Record<string, string>;
  readonly cwd: string;
  readonly columns?: number;
  readonly rows?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `argv` on a fresh pseudo-terminal. */
export function openTerminal(argv: readonly string[], options: TerminalOptions): Terminal {
  // Each test fails with this (not a hook, whose failure a test count could miss).
  if (!hasTmux) throw new Error('tmux is not installed; the terminal tests need it (apt-get install -y tmux)');
  const dir = mkdtempSync(join(tmpdir(), 'optel-tty-'));
  const socket = join(dir, 'tmux.sock');
  const conf = join(dir, 'tmux.conf');
  // Keep the pane after the program exits, so its last screen and exit status can be read.
  writeFileSync(conf, 'set -g remain-on-exit on\nset -g history-limit 1000\n');
  // Its own server (-S) with its own config (-f): the developer's tmux and ~/.tmux.conf are untouched.
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-S', socket, '-f', conf, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir } });
  // `env -i`: the tmux server's own environment (and its TERM) never reaches the program. The exit
  // status goes through a file: tmux 3.3 loses `pane_dead_status` when a program exits very early.
  const statusFile = join(dir, 'status');
  const env = Object.entries({ TERM: 'screen', ...options.env }).map(([k, v]) => `${k}=${v}`);
  tmux('new-session', '-d', '-s', 't', '-x', String(options.columns ?? 100), '-y', String(options.rows ?? 40), '-c', options.cwd,
    'sh', '-c', '"$@"; echo "$?" > "$0.tmp" && mv "$0.tmp" "$0"', statusFile, 'env', '-i', ...env, ...argv);

  const screen = () =>
    tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 't')
      .split('\n')
      .filter((line) => !line.startsWith('Pane is dead'))
      .join('\n')
      .trim();
  return {
    screen,
    async waitFor(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = screen();
        if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) return text;
        if (Date.now() > deadline) throw new Error(`the screen never showed ${String(pattern)}; it shows:\n${text}`);
        await sleep(40);
      }
    },
    type: (text) => void tmux('send-keys', '-t', 't', '-l', text),
    press: (...keys) => void tmux('send-keys', '-t', 't', ...keys),
    async exited(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // Dead too: tmux has then read everything the program wrote, so the screen is complete.
        const dead = existsSync(statusFile) && tmux('display-message', '-p', '-t', 't', '#{pane_dead}').trim() === '1';
        if (dead) return Number(readFileSync(statusFile, 'utf8'));
        if (Date.now() > deadline) throw new Error(`the program did not exit; the screen shows:\n${screen()}`);
        await sleep(40);
      }
    },
    close() {
      spawnSync('tmux', ['-S', socket, 'kill-server'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
