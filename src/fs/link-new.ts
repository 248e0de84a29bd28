import { linkSync } from 'node:fs';

/** Errors that mean "this file system has no hard links", not "something is wrong". */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'ENOSYS', 'EXDEV']);

/**
 * Publishes a finished temp file under `path` only if nothing is there yet (a hard link fails
 * rather than replaces): `linked`, `exists` when another writer got there first, or `unsupported`
 * when the file system has no hard links and the caller must fall back to a rename.
 */
export function linkNew(tmp: string, path: string): 'linked' | 'exists' | 'unsupported' {
  try {
    linkSync(tmp, path);
    return 'linked';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return 'exists';
    if (NO_HARD_LINKS.has(code)) return 'unsupported';
    throw error;
  }
}
