import { readdirSync } from 'node:fs';

/** The names in a directory, or none when it cannot be listed (gone, not a directory, unreadable): the spool's sweeps treat all alike. */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
