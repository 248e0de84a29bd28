import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

const MAX_DEPTH = 64;

/**
 * Creates a directory and its parents (private to the user). Used instead of
 * `mkdirSync(…, { recursive: true })`, which loops forever on some pseudo file systems (e.g. under
 * `/proc` on Node 20) — and this runs on a CLI's exit path, which must never hang.
 */
export function ensureDir(dir: string, depth = 0): void {
  // Usually it exists: one stat, rather than a mkdir that fails and builds an Error on every exit.
  if (depth === 0 && statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return;
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir || depth >= MAX_DEPTH) throw error;
    ensureDir(parent, depth + 1);
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    }
  }
}
