import { renameSync } from 'node:fs';
import { ensureDir } from '../fs/ensure-dir.js';
import { withTempFile } from '../fs/with-temp-file.js';
import { dirname } from 'node:path';

/**
 * Writes a small file so readers never see half of it (temp file + rename), private to the user; a
 * symlink standing at `path` is replaced, never written through. With `createDir` false a missing
 * directory is an error rather than made (a spool `telemetry off` deleted must stay deleted).
 */
export function writeFileAtomic(path: string, data: string, createDir = true): void {
  if (createDir) ensureDir(dirname(path));
  withTempFile(`${path}.${process.pid}.${Date.now()}.tmp`, data, (tmp) => renameSync(tmp, path));
}
