import type { EventRecord } from '../../src/recorder/event-record.js';

/** A record as `track()` leaves it: validated and redacted. */
export function record(name: string, time: number, attrs: EventRecord['attrs'] = {}, extra?: EventRecord['extra']): EventRecord {
  const r: { -readonly [K in keyof EventRecord]: EventRecord[K] } = { name, time, attrs, tiers: extra ? ['metrics', 'events'] : ['metrics'] };
  if (extra) r.extra = extra;
  return r;
}

/** Noon UTC on a fixed day, so tests never straddle midnight. */
export const NOON = Date.UTC(2025, 4, 14, 12, 0, 0);
/** One day in milliseconds. */
export const DAY = 86_400_000;
