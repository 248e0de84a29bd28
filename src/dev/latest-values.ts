import type { AttributeRecord } from '../otlp/flatten.js';
import { type AttributeBreakdown, Breakdown } from './breakdown.js';
import { clipAttributes } from './clip.js';

/** Streams remembered per event; past it the least recently updated are forgotten (200 events: 20,000 in all). */
const MAX_STREAMS = 100;

/** Attributes kept per stream: as many keys as a breakdown shows. */
const MAX_ATTRIBUTES = 24;

/** How a gauge or up-down counter point reads: a reading, a level (cumulative sum) or a change (delta sum). */
export type ValueKind = 'gauge' | 'level' | 'change';

interface Latest {
  value: number;
  at: number;
  attributes: AttributeRecord;
}

/**
 * The last value of each stream (an attribute set of one installation) of a gauge or up-down
 * counter. An up-down counter's streams add up (jobs queued over every queue and machine); a
 * gauge's readings do not, so it reads as its newest one, and its breakdown as each attribute
 * value's newest reading.
 */
export class LatestValues {
  private readonly streams = new Map<string, Latest>();
  private additive = false;

  /** One data point of `stream`. */
  record(at: number, stream: string, attributes: AttributeRecord, value: number, kind: ValueKind): void {
    if (!Number.isFinite(value)) return;
    this.additive = kind !== 'gauge';
    const prev = this.streams.get(stream);
    // A level or reading older than the one kept is stale; a change always adds.
    if (prev && kind !== 'change' && at < prev.at) return;
    const next = { value: kind === 'change' ? (prev?.value ?? 0) + value : value, at: Math.max(at, prev?.at ?? 0), attributes: clipAttributes(attributes, MAX_ATTRIBUTES) };
    // Delete and re-insert: Map order then doubles as least-recently-updated order for eviction.
    this.streams.delete(stream);
    this.streams.set(stream, next);
    if (this.streams.size > MAX_STREAMS) this.streams.delete(this.streams.keys().next().value as string);
  }

  /** The up-down counter's total over its streams, or the gauge's newest reading; undefined before any. */
  value(): number | undefined {
    if (this.streams.size === 0) return undefined;
    if (this.additive) return [...this.streams.values()].reduce((total, s) => total + s.value, 0);
    return this.byTime().at(-1)?.value;
  }

  /** Epoch ms of the newest point. */
  lastAt(): number {
    return Math.max(0, ...[...this.streams.values()].map((s) => s.at));
  }

  /** Per attribute value: the total of its streams (up-down counter) or its newest reading (gauge). */
  breakdown(): AttributeBreakdown[] {
    const b = new Breakdown();
    for (const s of this.byTime()) {
      if (this.additive) b.add(s.attributes, s.value);
      else b.set(s.attributes, s.value);
    }
    return b.snapshot();
  }

  private byTime(): Latest[] {
    return [...this.streams.values()].sort((a, b) => a.at - b.at);
  }
}
