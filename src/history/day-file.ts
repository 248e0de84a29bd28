import { join } from 'node:path';

/** The history's folder inside an app's telemetry state directory (`<stateDir>/history`). */
export function historyDirOf(stateDir: string): string {
  return join(stateDir, 'history');
}

const DAY_MS = 86_400_000;
const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

/** Milliseconds in a day. */
export const ONE_DAY_MS = DAY_MS;

/**
 * The UTC day of `time` as `YYYY-MM-DD`. UTC, not local time: a user who changes time zone (or
 * travels) must not make two processes on the same machine disagree about which file is today's.
 */
export function dayOf(time: number): string {
  // Not toISOString(): its first call costs a CLI about 0.7 ms, and this runs on every recorded run.
  const d = new Date(time);
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
}

/** The file that records appended at `time` go to: `YYYY-MM-DD.jsonl`. */
export function dayFileName(time: number): string {
  return `${dayOf(time)}.jsonl`;
}

/** The day files among a folder's entries, oldest first; anything else (temp files, strays) is ignored. */
export function dayFiles(names: readonly string[]): Array<{ name: string; day: string }> {
  const out: Array<{ name: string; day: string }> = [];
  for (const name of names) {
    const m = DAY_FILE.exec(name);
    if (m) out.push({ name, day: m[1]! });
  }
  // ISO dates sort as strings.
  return out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}
