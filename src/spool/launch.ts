import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TLS_FILES, tlsVariables } from '../config/tls-variables.js';
import { SIGNALS, type Flush, type Settings } from '../config/settings.js';
import type { TelemetryPaths } from '../config/paths.js';
import { inBackoff } from './backoff.js';
import { senderRunning } from './lock.js';
import type { SpoolFileName } from './file-name.js';
import { windowEnded } from './window.js';

/** What a sender process needs to know that its environment does not tell it. */
export interface SenderArgs {
  readonly app: string;
  readonly version: string;
  readonly paths: TelemetryPaths;
  readonly defaults: Settings;
  /** The app's spool cap, for re-queueing what fails (default 4 MiB). */
  readonly spoolCapBytes?: number;
}

/** Time a launched sender has to take its lock; until then its launcher sees it by itself. */
const SENDER_START_MS = 10_000;

/** The sender this process launched last: no other process can see it until it has taken its lock. */
let launched: { readonly spoolDir: string; readonly at: number; running: boolean } | undefined;

/**
 * Whether this write should start a sender: something deliverable is spooled (a completed window,
 * or anything with `immediate`), no sender is running — one that holds the lock, or one this process
 * launched that is still starting (records written one by one in a host's exit listener would
 * otherwise launch one each) — and delivery is not backing off after failures.
 */
export function shouldLaunchSender(spoolDir: string, flush: Flush, now: number, files: readonly SpoolFileName[]): boolean {
  // A window that has just ended starts one: it waits out the grace itself before it claims.
  if (!files.some((f) => windowEnded(f.at, flush, now))) return false;
  const starting = launched?.spoolDir === spoolDir && launched.running && now - launched.at < SENDER_START_MS;
  return !starting && !senderRunning(spoolDir, now) && !inBackoff(spoolDir, now);
}

/**
 * The environment for the sender: this process's, with the TLS files the OTLP exporters read made
 * absolute, since a relative path means this process's working directory and the sender runs in
 * the state directory.
 */
function senderEnv(): NodeJS.ProcessEnv {
  let env = process.env;
  for (const file of TLS_FILES) {
    for (const name of SIGNALS.flatMap((signal) => tlsVariables(file, signal))) {
      const value = env[name]?.trim();
      if (!value || isAbsolute(value)) continue;
      try {
        env = { ...env, [name]: resolve(value) };
      } catch {
        // The working directory is gone: the path cannot mean anything any more, left as it is.
      }
    }
  }
  return env;
}

/**
 * Starts the sender detached and unref'd: it outlives this process, never holds its exit, never
 * opens a window, and never writes to this process's stdout. Its stderr is the terminal only when a
 * `console` exporter asked for output there.
 */
export function launchSender(args: SenderArgs, inheritStderr: boolean): void {
  // Loaded only here: most exits launch nothing, and child_process costs every CLI start ≈ 2 ms.
  const { spawn } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  const sender = fileURLToPath(new URL('../export/sender-main.js', import.meta.url));
  const child = spawn(process.execPath, [sender, JSON.stringify(args)], {
    detached: true,
    stdio: ['ignore', 'ignore', inheritStderr ? 'inherit' : 'ignore'],
    windowsHide: true,
    cwd: args.paths.stateDir,
    env: senderEnv(),
  });
  const self: NonNullable<typeof launched> = { spoolDir: args.paths.spoolDir, at: Date.now(), running: true };
  launched = self;
  const ended = () => (self.running = false);
  child.on('error', ended);
  child.on('exit', ended);
  child.unref();
}
