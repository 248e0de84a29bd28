import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Flush, Settings } from '../config/settings.js';
import type { TelemetryPaths } from '../config/paths.js';
import { inBackoff } from './backoff.js';
import { senderRunning } from './lock.js';
import type { SpoolFileName } from './file-name.js';
import { isDeliverable } from './window.js';

/** What a sender process needs to know that its environment does not tell it. */
export interface SenderArgs {
  readonly app: string;
  readonly version: string;
  readonly paths: TelemetryPaths;
  readonly defaults: Settings;
  /** The app's spool cap, for re-queueing what fails (default 4 MiB). */
  readonly spoolCapBytes?: number;
}

/**
 * Whether this exit should start a sender: something deliverable is spooled (a completed window, or
 * anything with `immediate`), no sender is running, and delivery is not backing off after failures.
 */
export function shouldLaunchSender(spoolDir: string, flush: Flush, now: number, files: readonly SpoolFileName[]): boolean {
  if (!files.some((f) => isDeliverable(f.at, flush, now))) return false;
  return !senderRunning(spoolDir, now) && !inBackoff(spoolDir, now);
}

/**
 * Starts the sender detached and unref'd: it outlives this process, never holds its exit, never
 * opens a window, and never writes to this process's stdout. Its stderr is the terminal only when a
 * `console` exporter asked for output there. Returns whether it is still running, as far as this
 * process has seen (during an exit, nothing more is seen).
 */
export function launchSender(args: SenderArgs, inheritStderr: boolean): () => boolean {
  // Loaded only here: most exits launch nothing, and child_process costs every CLI start ≈ 2 ms.
  const { spawn } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  const sender = fileURLToPath(new URL('../export/sender-main.js', import.meta.url));
  const child = spawn(process.execPath, [sender, JSON.stringify(args)], {
    detached: true,
    stdio: ['ignore', 'ignore', inheritStderr ? 'inherit' : 'ignore'],
    windowsHide: true,
    cwd: args.paths.stateDir,
    env: process.env,
  });
  // Until it has taken the sender lock, no other process can see it; its launcher can.
  let running = true;
  child.on('error', () => (running = false));
  child.on('exit', () => (running = false));
  child.unref();
  return () => running;
}
