import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Flush, Settings } from '../config/settings.js';
import type { TelemetryPaths } from '../config/paths.js';
import { inBackoff } from './backoff.js';
import { senderRunning } from './lock.js';
import { hasDeliverableFiles } from './pending.js';
import type { SpoolFileName } from './file-name.js';
import { isDeliverable } from './window.js';

/** What a sender process needs to know that its environment does not tell it. */
export interface SenderArgs {
  readonly app: string;
  readonly version: string;
  readonly paths: TelemetryPaths;
  readonly defaults: Settings;
}

const SENDER = fileURLToPath(new URL('../export/sender-main.js', import.meta.url));

/**
 * Whether this exit should start a sender: something deliverable is spooled (a completed window, or
 * anything with `immediate`), no sender is running, and delivery is not backing off after failures.
 */
export function shouldLaunchSender(spoolDir: string, flush: Flush, now = Date.now(), files?: readonly SpoolFileName[]): boolean {
  const deliverable = files ? files.some((f) => isDeliverable(f.at, flush, now)) : hasDeliverableFiles(spoolDir, flush, now);
  if (!deliverable) return false;
  return !senderRunning(spoolDir, now) && !inBackoff(spoolDir, now);
}

/**
 * Starts the sender detached and unref'd: it outlives this process, never holds its exit, never
 * opens a window, and never writes to this process's stdout. Its stderr is the terminal only when a
 * `console` exporter asked for output there.
 */
export function launchSender(args: SenderArgs, inheritStderr: boolean): void {
  const child = spawn(process.execPath, [SENDER, JSON.stringify(args)], {
    detached: true,
    stdio: ['ignore', 'ignore', inheritStderr ? 'inherit' : 'ignore'],
    windowsHide: true,
    cwd: args.paths.stateDir,
    env: process.env,
  });
  child.on('error', () => {});
  child.unref();
}
