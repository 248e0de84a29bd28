import { renameSync } from 'node:fs';
import { ensureDir } from '../fs/ensure-dir.js';
import { withTempFile } from '../fs/with-temp-file.js';
import { dirname } from 'node:path';

/** Writes a small file so readers never see half of it (temp file + rename), private to the user. */
export function writeFileAtomic(path: string, data: string): void {
  ensureDir(dirname(path));
  withTempFile(`${path}.${process.pid}.${Date.now()}.tmp`, data, (tmp) => renameSync(tmp, path));
}
