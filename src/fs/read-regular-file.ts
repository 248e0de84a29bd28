import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';

/** What reading a file that must be a regular file gave: its text, nothing there, or why it was not read. */
export type RegularFileRead =
  | { readonly text: string; readonly mtimeMs: number }
  | { readonly missing: true }
  | { readonly problem: string; readonly code: string };

// Opening a FIFO for reading waits for a writer; non-blocking, the open returns and fstat tells.
// O_NOCTTY: a terminal device planted there must not become the (session-leading) sender's terminal.
const BASE_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * Reads a file only if it is a regular file of at most `maxBytes`: whatever was planted in its place
 * (a FIFO, /dev/zero, a terminal, and with `followSymlinks: false` a symlink to someone's files) is
 * refused before a byte is read, so it can neither hang the reader, fill its memory nor be read as ours.
 */
export function readRegularFile(path: string, options: { readonly maxBytes: number; readonly followSymlinks: boolean }): RegularFileRead {
  let fd: number | undefined;
  try {
    fd = openSync(path, BASE_FLAGS | (options.followSymlinks ? 0 : (constants.O_NOFOLLOW ?? 0)));
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: 'not a regular file', code: 'ENOTREG' };
    if (stat.size > options.maxBytes) return { problem: `larger than ${options.maxBytes} bytes`, code: 'EFBIG' };
    return { text: readFileSync(fd, 'utf8'), mtimeMs: stat.mtimeMs };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    // A link whose target is gone is there all the same: someone meant a file, and it is not read.
    if (code === 'ENOENT' && options.followSymlinks && isLink(path)) return { problem: 'a symbolic link to nothing', code };
    if (code === 'ENOENT' || code === 'ENOTDIR') return { missing: true };
    // O_NOFOLLOW on a symlink fails with ELOOP.
    return { problem: code === 'ELOOP' && !options.followSymlinks ? 'a symbolic link' : `unreadable (${code})`, code };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
