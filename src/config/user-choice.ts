import { TIERS, type Tier } from '../semconv/attributes.js';
import { writeFileAtomic } from './atomic-file.js';
import { readJsonFile } from './file-layer.js';
import { parseConsent } from './parse.js';
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ensureDir } from '../fs/ensure-dir.js';
import { withFileLock } from '../fs/file-lock.js';

/** How the user's choice was made (kept with it, for audits and `telemetry status`). */
export type ConsentSource = 'command' | 'installer' | 'notice';

/** Stores the user's choice for some tiers, keeping what the file already says about the others. */
export function writeUserChoice(file: string, choice: Partial<Record<Tier, boolean>>, source: ConsentSource): void {
  ensureDir(dirname(file));
  // Two `telemetry off <tier>` at once must both stick: the read-modify-write holds a lock.
  withFileLock(file, () => update(file, choice, source));
}

function update(file: string, choice: Partial<Record<Tier, boolean>>, source: ConsentSource): void {
  const { json: current, problem } = readJsonFile(file);
  const usable = typeof current === 'object' && current !== null && !Array.isArray(current);
  // A file that exists but cannot be used is read as every tier off (it fails closed): a change to
  // one tier keeps the others off rather than handing them back to the app's defaults.
  const base = usable ? (current as Record<string, unknown>) : problem !== undefined || current !== undefined ? { metrics: false, events: false, traces: false } : {};
  const next: Record<string, unknown> = { ...base };
  // An old `enabled: off` (in any spelling the reader takes) covered every tier, over any tier the
  // file turned on: keep that meaning for the tiers not being changed, or changing one would turn
  // the others back on.
  if (parseConsent(next.enabled, `${file}: enabled`) === false) for (const t of TIERS) next[t] = false;
  for (const [tier, on] of Object.entries(choice)) if (on !== undefined) next[tier] = on;
  delete next.enabled;
  next.source = source;
  next.updatedAt = new Date().toISOString();
  writeFileAtomic(writeTarget(file), `${JSON.stringify(next, null, 2)}\n`);
}

/**
 * Where the choice is written. A settings file is often a link into a dotfiles repository: the
 * atomic write (temp file + rename) goes to the link's target, so the link stays and the dotfiles
 * keep the choice. A link to nothing is written through when the directory it points into exists
 * (that file is what the link stands for); when not, the link is replaced by a regular file, since
 * the choice must land where the reader looks, and a link to nothing reads as every tier off.
 */
function writeTarget(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    // No file, or a link to nothing: looked at below.
  }
  try {
    if (!lstatSync(file).isSymbolicLink()) return file;
    const target = resolve(dirname(file), readlinkSync(file));
    return join(realpathSync(dirname(target)), basename(target));
  } catch {
    return file;
  }
}
