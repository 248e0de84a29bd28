import { renameSync, writeFileSync } from 'node:fs';
import { ensureDir } from '../fs/ensure-dir.js';
import { dirname } from 'node:path';

/** Writes a small file so readers never see half of it (temp file + rename), private to the user. */
export function writeFileAtomic(path: string, data: string): void {
  ensureDir(dirname(path));
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, path);
}
