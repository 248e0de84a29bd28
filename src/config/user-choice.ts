import { TIERS, type Tier } from '../semconv/attributes.js';
import { writeFileAtomic } from './atomic-file.js';
import { allOff, readJsonFile, unknownKeys } from './file-layer.js';
import { isRecord } from '../semconv/catalog.js';
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
  // A file that exists but cannot be used is read as every tier off (it fails closed): a change to
  // one tier keeps the others off rather than handing them back to the app's defaults.
  const base: Record<string, unknown> = isRecord(current) ? current : problem !== undefined || current !== undefined ? { ...allOff() } : {};
  const next: Record<string, unknown> = { ...base };
  // Keys the reader does not know make it read the file as every tier off: an explicit choice
  // drops them, or `telemetry on` could never mend a typo (`"metric": true`), and keeps the tiers
  // the file does not name off, as the reader had them.
  const unknown = new Set(unknownKeys(next));
  for (const key of Object.keys(next)) if (unknown.has(key)) delete next[key];
  if (unknown.size > 0) for (const t of TIERS) next[t] ??= false;
  if (isRecord(next.exporters)) {
    next.exporters = Object.fromEntries(Object.entries(next.exporters).filter(([signal]) => !unknown.has(`exporters.${signal}`)));
  }
  // An old `enabled: off` (in any spelling the reader takes) covered every tier, over any tier the
  // file turned on: keep that meaning for the tiers not being changed, or changing one would turn
  // the others back on.
  if (parseConsent(next.enabled, `${file}: enabled`) === false) for (const t of TIERS) next[t] = false;
  for (const [tier, on] of Object.entries(choice)) if (on !== undefined) next[tier] = on;
  delete next.enabled;
  next.source = source;
  next.updatedAt = new Date().toISOString();
  const text = `${JSON.stringify(next, null, 2)}\n`;
  const target = writeTarget(file);
  try {
    writeFileAtomic(target, text);
  } catch (error) {
    // A link into a read-only place (a Nix store, a mounted dotfiles checkout): the choice still
    // has to stick where the reader looks, so the link gives way to the file. Off must be saved.
    // Anything else (a full disk) fails as it would without the link: "not saved", with its reason.
    if (target === file || !READ_ONLY.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    writeFileAtomic(file, text);
  }
}

/** Why a link's target cannot take the choice for good: it is somewhere the user cannot write. */
const READ_ONLY: ReadonlySet<string> = new Set(['EROFS', 'EACCES', 'EPERM']);

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
