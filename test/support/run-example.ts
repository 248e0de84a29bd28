import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { OtlpReceiver } from './otlp-receiver.js';

/** The repository root (examples run from the built package via its self-reference). */
export const ROOT = resolve(import.meta.dirname, '..', '..');
/** The reference CLI's entry. */
export const TODO_BIN = join(ROOT, 'examples', 'todo', 'bin.mjs');

/** What a finished child process left behind. */
export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** A fresh, empty HOME for one test (telemetry state, XDG dirs and the todo DB all live under it). */
export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'optel-home-'));
}

/**
 * A hermetic environment: only PATH and HOME from outside, so the developer's own OTEL_* or
 * DO_NOT_TRACK never leak into a test.
 */
export function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...extra };
}

/** Environment that delivers immediately to a receiver. */
export function toReceiver(receiver: OtlpReceiver, extra: Record<string, string> = {}): Record<string, string> {
  return { TODO_TELEMETRY_FLUSH: 'immediate', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...extra };
}

/** Runs a node script as a real child process and collects its output. */
export function runNode(script: string, args: readonly string[], options: { env: Record<string, string>; cwd?: string }): Promise<RunResult> {
  const start = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script, ...args], { env: options.env, cwd: options.cwd ?? options.env.HOME, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr, ms: performance.now() - start }));
  });
}

/** Runs the todo CLI in `home` with `extra` environment. */
export function runTodo(home: string, args: readonly string[], extra: Record<string, string> = {}, cwd?: string): Promise<RunResult> {
  return runNode(TODO_BIN, args, { env: cleanEnv(home, extra), cwd });
}

/** Every file below a directory (relative paths), for "no file was created" checks. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else out.push(prefix + name);
    }
  };
  walk(dir, '');
  return out;
}

/** The todo app's telemetry state directory under a HOME. */
export function todoStateDir(home: string): string {
  return join(home, '.local', 'state', 'todo', 'telemetry');
}

/** Sum of a counter's points across every request a receiver got. */
export function counterTotal(receiver: OtlpReceiver, name: string, where: (attrs: Record<string, unknown>) => boolean = () => true): number {
  let total = 0;
  for (const row of receiver.metrics()) {
    if (row.name !== name) continue;
    for (const p of row.points) if (where(p.attributes)) total += p.value ?? 0;
  }
  return total;
}

/** Waits a little: for "nothing happened" checks, where there is no event to wait for. */
export function settle(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
