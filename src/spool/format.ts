import type { Tier } from '../semconv/attributes.js';
import type { EventRecord } from '../recorder/event-record.js';
import type { WireAttributes } from '../privacy/validator.js';

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

/** Parses a record line; anything damaged (torn write, disk error, hand edit) is `undefined`. */
export function parseRecordLine(line: string): EventRecord | undefined {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null) return undefined;
  const { n, t, d, a, x, k, c } = o;
  if (typeof n !== 'string' || typeof t !== 'number' || !Number.isFinite(t) || typeof k !== 'string') return undefined;
  if (d !== undefined && (typeof d !== 'number' || !(d >= 0))) return undefined;
  if (c !== undefined && (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 1)) return undefined;
  if (!isPrimitiveRecord(a) || (x !== undefined && !isPrimitiveRecord(x))) return undefined;
  const tiers: Tier[] = [];
  for (const letter of k) {
    const tier = LETTER_TIER[letter];
    if (tier === undefined) return undefined;
    tiers.push(tier);
  }
  const record: { -readonly [K in keyof EventRecord]: EventRecord[K] } = { name: n, time: t, attrs: a, tiers };
  if (d !== undefined) record.duration = d;
  if (x !== undefined) record.extra = x;
  if (c !== undefined) record.count = c;
  return record;
}

/** Parses a header line. */
export function parseHeaderLine(line: string): SpoolHeader | undefined {
  try {
    const o = JSON.parse(line) as Partial<SpoolHeader>;
    if (o.optel === 1 && typeof o.app === 'string' && typeof o.version === 'string' &&
      typeof o.installationId === 'string' && typeof o.at === 'number') {
      return o as SpoolHeader;
    }
  } catch {
    // damaged header: the caller falls back to the sender's own identity
  }
  return undefined;
}
