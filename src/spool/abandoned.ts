import { lstatSync, renameSync, unlinkSync } from 'node:fs';
import { listDir } from '../fs/list-dir.js';
import { join } from 'node:path';
import { parseSpoolFileName, TEMP_PREFIX } from './file-name.js';
import { isAlive } from './process-alive.js';

/** A writer never takes this long between its temp file and the rename; older ones are abandoned even if the pid is alive again. */
const ABANDONED_AFTER_MS = 60 * 60_000;
/**
 * Younger than this, a temp file is never touched whatever its pid says: a spool shared across
 * machines or pid namespaces (an NFS home, a container) shows a live writer's pid as dead.
 */
const MIN_AGE_MS = 10 * 60_000;

/**
 * Publishes the spool writes of processes killed between writing their temp file and renaming it
 * (`kill -9` on the exit path): the records in them were counted on, so they are put into the spool
 * under their own name, to be delivered once; a torn last line is counted as damaged by the reader.
 * Anything else named like a temp file (not a regular file, a name that does not parse) is removed.
 * Returns how many writes were recovered.
 */
export function recoverAbandonedWrites(spoolDir: string, now = Date.now()): number {
  let recovered = 0;
  for (const name of listDir(spoolDir)) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const path = join(spoolDir, name);
    const file = parseSpoolFileName(name.slice(TEMP_PREFIX.length));
    try {
      const stat = lstatSync(path);
      if (!file || !stat.isFile()) {
        unlinkSync(path);
        continue;
      }
      const age = now - stat.mtimeMs;
      const pid = Number(file.name.split('-')[1]);
      if (age < MIN_AGE_MS || (isAlive(pid) && age < ABANDONED_AFTER_MS)) continue;
      renameSync(path, join(spoolDir, file.name));
      recovered++;
    } catch {
      // Gone meanwhile (its writer finished after all, or another sender took it): nothing to do.
    }
  }
  return recovered;
}
