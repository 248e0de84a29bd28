import { statSync } from 'node:fs';

/**
 * What stands at `path`: a directory, nothing (ENOENT, or a file where a parent should be), or
 * something else. A path that cannot be looked at (EACCES) throws an Error saying why: it is not "nothing".
 */
export function directoryState(path: string): 'directory' | 'missing' | 'not a directory' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'not a directory';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw new Error(`cannot read ${path}: ${code ?? String(error)}`);
  }
}
