import { rmSync, writeFileSync } from 'node:fs';

/**
 * Writes `data` to the private temp file `tmp` and hands it to `publish` (a rename or a link).
 * The temp file never outlives a failure: a write cut short by a full disk, or a target that cannot
 * be replaced, used to leave one behind on every run. With `always`, it is removed after `publish`
 * too (a hard link keeps the data). Cleaning up never hides the error that made it necessary.
 */
export function withTempFile<T>(tmp: string, data: string | Uint8Array, publish: (tmp: string) => T, always = false): T {
  let done = false;
  try {
    // Created here or not at all (O_EXCL): a symlink planted at a predictable temp name is never followed.
    writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Someone else's file (or link) by that name is left alone.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error;
    remove(tmp);
    throw error;
  }
  try {
    const result = publish(tmp);
    done = !always;
    return result;
  } finally {
    if (!done) remove(tmp);
  }
}

function remove(tmp: string): void {
  try {
    rmSync(tmp, { force: true });
  } catch {
    // Not ours to remove (a directory of that name): the original error is what matters.
  }
}
