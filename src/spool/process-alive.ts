import { readFileSync } from 'node:fs';

/**
 * Whether a process with this pid is running. Signal 0 probes without delivering anything; on Linux
 * a zombie (dead, not yet reaped — common for detached senders in containers whose init does not
 * reap) still answers the probe, so its state in /proc is checked too.
 */
export function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
