import { TIERS, type Tier } from '../semconv/attributes.js';
import type { Override } from '../config/resolve.js';
import type { EventRecord } from '../recorder/event-record.js';
import type { WireAttributes } from '../privacy/validator.js';
import { parseSpoolFileName } from './file-name.js';

/** First line of every spool file: who wrote the records that follow. */
export interface SpoolHeader {
  readonly optel: 1;
  readonly app: string;
  readonly version: string;
  readonly installationId: string;
  /** Epoch ms when the file was written; decides its delivery window. */
  readonly at: number;
  /** Descriptions of the events in the file, for the instruments the sender creates. */
  readonly descriptions?: Readonly<Record<string, string>>;
  /** What the records were made against the user's stored "off" (see `Override`). */
  readonly overridden?: Override;
  /**
   * Files of the same claim this one replaces (what of them a sender has not sent yet): whoever
   * finds both deletes those, so a sender killed between writing this and deleting them sends
   * nothing twice.
   */
  readonly supersedes?: readonly string[];
}

const TIER_LETTER: Readonly<Record<Tier, string>> = { metrics: 'm', events: 'e', traces: 't' };
const LETTER_TIER: Readonly<Record<string, Tier>> = { m: 'metrics', e: 'events', t: 'traces' };

/** One record as a compact JSON line (keys shortened: spools are written on the exit path). */
export function recordLine(r: EventRecord): string {
  let k = '';
  for (const tier of r.tiers) k += TIER_LETTER[tier];
  return JSON.stringify({ n: r.name, t: r.time, d: r.duration, a: r.attrs, x: r.extra, k, c: r.count });
}

function isPrimitiveRecord(value: unknown): value is WireAttributes {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const v of Object.values(value)) {
    if (typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) return false;
  }
  return true;
}

/** A record's fields as found in a file, not yet trusted. */
export interface RecordFields {
  readonly name: unknown;
  readonly time: unknown;
  readonly duration: unknown;
  readonly attrs: unknown;
  readonly extra: unknown;
  readonly tiers: unknown;
  readonly count: unknown;
}

/** The record the fields describe, or undefined when any is malformed (spool lines and bug reports alike). */
export function checkedRecord(f: RecordFields): EventRecord | undefined {
  const { name, time, duration, attrs, extra, tiers, count } = f;
  if (typeof name !== 'string' || typeof time !== 'number' || !Number.isFinite(time)) return undefined;
  if (duration !== undefined && (typeof duration !== 'number' || !(duration >= 0))) return undefined;
  if (count !== undefined && (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1)) return undefined;
  if (!isPrimitiveRecord(attrs) || (extra !== undefined && !isPrimitiveRecord(extra))) return undefined;
  if (!Array.isArray(tiers) || !tiers.every((t) => typeof t === 'string' && Object.hasOwn(TIER_LETTER, t))) return undefined;
  const record: { -readonly [K in keyof EventRecord]: EventRecord[K] } = { name, time, attrs, tiers: tiers as Tier[] };
  if (duration !== undefined) record.duration = duration;
  if (extra !== undefined) record.extra = extra;
  if (count !== undefined) record.count = count;
  return record;
}

/** Parses a record line; anything damaged (torn write, disk error, hand edit) is `undefined`. */
export function parseRecordLine(line: string): EventRecord | undefined {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null || typeof o.k !== 'string') return undefined;
  const tiers: Tier[] = [];
  for (const letter of o.k) {
    const tier = LETTER_TIER[letter];
    if (tier === undefined) return undefined;
    tiers.push(tier);
  }
  return checkedRecord({ name: o.n, time: o.t, duration: o.d, attrs: o.a, extra: o.x, tiers, count: o.c });
}

/** Parses a header line. */
export function parseHeaderLine(line: string): SpoolHeader | undefined {
  try {
    const o = JSON.parse(line) as Partial<SpoolHeader>;
    if (o.optel === 1 && typeof o.app === 'string' && typeof o.version === 'string' &&
      typeof o.installationId === 'string' && typeof o.at === 'number') {
      // A damaged override is no override: its records then go only where the stored settings allow.
      // A damaged `supersedes` replaces nothing: sending something twice beats deleting what was not.
      const { overridden, supersedes, ...header } = o;
      return {
        ...header,
        ...(isOverride(overridden) ? { overridden } : {}),
        ...(isFileList(supersedes) ? { supersedes } : {}),
      } as SpoolHeader;
    }
  } catch {
    // damaged header: the caller falls back to the sender's own identity
  }
  return undefined;
}

function isFileList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((name) => typeof name === 'string' && parseSpoolFileName(name) !== undefined);
}

function isOverride(value: unknown): value is Override {
  const o = value as Partial<Override> | null;
  return typeof o === 'object' && o !== null && Number.isFinite(o.choiceAt) && Array.isArray(o.tiers) &&
    o.tiers.length > 0 && o.tiers.every((t) => (TIERS as readonly unknown[]).includes(t));
}
