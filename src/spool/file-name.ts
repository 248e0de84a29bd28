/**
 * Spool files are named `<at>-<pid>-<random>-<events>e-<bytes>b.jsonl`: sortable by time, unique per
 * writer, and sized in the name so the cap can be enforced from one `readdir` without a `stat` each.
 */
export interface SpoolFileName {
  readonly name: string;
  readonly at: number;
  readonly events: number;
  readonly bytes: number;
}

const PATTERN = /^(\d{13})-\d+-[0-9a-z]+-(\d+)e-(\d+)b\.jsonl$/;

/** What a spool file is called while it is being written (`<prefix><its name>`), until its rename. */
export const TEMP_PREFIX = '.tmp-';

/** A new file name for a batch. */
export function spoolFileName(at: number, events: number, bytes: number): string {
  const random = Math.floor(Math.random() * 0x7fffffff).toString(36);
  return `${String(at).padStart(13, '0')}-${process.pid}-${random}-${events}e-${bytes}b.jsonl`;
}

/** Parses a spool file name; temp files, claims and locks are `undefined`. */
export function parseSpoolFileName(name: string): SpoolFileName | undefined {
  const m = PATTERN.exec(name);
  return m ? { name, at: Number(m[1]), events: Number(m[2]), bytes: Number(m[3]) } : undefined;
}

/** The spool files in a directory listing, oldest first. */
export function spoolFiles(names: readonly string[]): SpoolFileName[] {
  const files: SpoolFileName[] = [];
  for (const name of names) {
    const parsed = parseSpoolFileName(name);
    if (parsed) files.push(parsed);
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : 1));
}
