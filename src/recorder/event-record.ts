import type { Tier } from '../semconv/attributes.js';
import { dropEventSuffix, type DropReason } from '../semconv/catalog.js';
import type { WireAttributes } from '../privacy/validator.js';

/** One occurrence that passed the allowlist and the redactor: the only shape that ever leaves `track()`. */
export interface EventRecord {
  /** Event name from the catalog. */
  readonly name: string;
  /** When it ended, epoch milliseconds. */
  readonly time: number;
  /** Duration in seconds, for timed events. */
  readonly duration?: number;
  /** Attributes allowed on every tier. */
  readonly attrs: WireAttributes;
  /** Attributes allowed only on log records and spans. */
  readonly extra?: WireAttributes;
  /** Tiers this record travels in (consent ∩ the event's tiers). */
  readonly tiers: readonly Tier[];
  /** How many occurrences it stands for (1 unless optel rolled up drops). */
  readonly count?: number;
}

/** Where records go once accepted: a spool in a CLI, live OTel instruments in a daemon, stderr in debug mode. */
export interface Recorder {
  /** Takes one record; must be cheap and must never throw. */
  record(record: EventRecord): void;
  /** Delivers or persists what is buffered (bounded in time). */
  flush(): Promise<void>;
  /** Flushes and releases resources; a second call returns the first promise. */
  shutdown(): Promise<void>;
  /**
   * Records nothing more, drops what it holds of `tiers` (default: every tier; consent was
   * withdrawn) and delivers or persists the rest, as `shutdown()` would.
   */
  discard(tiers?: readonly Tier[]): void;
}

/** The record of `count` occurrences optel itself dropped at `time` (the catalog's built-in drop event). */
export function droppedRecord(app: string, reason: DropReason, count: number, time: number): EventRecord {
  return { name: `${app}${dropEventSuffix}`, time, attrs: { reason }, tiers: ['metrics'], count };
}

/**
 * The records cut to the tiers `keep` allows (a record keeps its identity when nothing is cut); a
 * record left with no tier goes, and one left with only metrics loses its events-only attributes.
 */
export function keepTiers(records: readonly EventRecord[], keep: (tier: Tier) => boolean): EventRecord[] {
  const out: EventRecord[] = [];
  for (const r of records) {
    const tiers = r.tiers.filter(keep);
    if (tiers.length === r.tiers.length) out.push(r);
    else if (tiers.length > 0) out.push(withTiers(r, tiers));
  }
  return out;
}

function withTiers(r: EventRecord, tiers: Tier[]): EventRecord {
  // A metric never carries them: text withdrawn with the events tier is not kept on disk (a re-queue)
  // nor shown (`optel inspect`) when it will never be sent.
  if (r.extra === undefined || tiers.some((t) => t !== 'metrics')) return { ...r, tiers };
  const { extra: _withdrawn, ...rest } = r;
  return { ...rest, tiers };
}
