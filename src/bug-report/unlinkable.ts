import { createHasher, newSalt } from '../privacy/hash.js';
import { HASHED_WIRE_PATTERN } from '../privacy/rules.js';
import type { WireAttributes } from '../privacy/validator.js';
import type { EventRecord } from '../recorder/event-record.js';

// A report made outside the app has no catalog to say which attributes are hashed ids, so every
// value of their shape is re-keyed: one the collector also received is a join key, whatever its kind.
const HASHED = new RegExp(HASHED_WIRE_PATTERN);
const SECOND_MS = 1000;

function rekeyed(attributes: WireAttributes, rekey: (value: string) => string): WireAttributes {
  const out: WireAttributes = {};
  for (const [key, value] of Object.entries(attributes)) out[key] = typeof value === 'string' && HASHED.test(value) ? rekey(value) : value;
  return out;
}

/**
 * The records as a bug report carries them, so that a report attached to a public issue cannot be
 * matched with what the collector received (which carries the installation id): hashed ids are
 * hashed again with a random key made for this report and never stored (they still join within the
 * report, and keep their shape), `time` is milliseconds since the report's first event rounded to
 * the second, and `duration` is rounded to the millisecond. Order and gaps are what replay needs.
 */
export function unlinkable(records: readonly EventRecord[]): EventRecord[] {
  const rekey = createHasher(newSalt());
  const first = records.reduce((min, r) => Math.min(min, r.time), Infinity);
  return records.map((r) => {
    const { duration, extra, ...rest } = r;
    return {
      ...rest,
      time: Math.round((r.time - first) / SECOND_MS) * SECOND_MS,
      attrs: rekeyed(r.attrs, rekey),
      ...(duration === undefined ? {} : { duration: Math.round(duration * 1000) / 1000 }),
      ...(extra === undefined ? {} : { extra: rekeyed(extra, rekey) }),
    };
  });
}
