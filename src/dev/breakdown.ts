import type { AttributeRecord } from '../otlp/flatten.js';
import { clip, MAX_NAME } from './clip.js';

/** How often each value of one attribute key was seen. */
export interface AttributeBreakdown {
  key: string;
  /** Most frequent first. */
  values: { value: string; count: number }[];
  /** Occurrences of values past the per-key cap, lumped together. */
  other: number;
}

/** Longest attribute value kept; telemetry values are short, anything longer is cut with an ellipsis. */
const MAX_VALUE_LENGTH = 120;

/**
 * Per attribute key, a value → count table. Capped on both axes (keys per event, values per
 * key) because a sender may put unbounded values in an attribute, and the dev server must not
 * grow with it: the overflow is counted as `other`.
 */
export class Breakdown {
  private readonly keys = new Map<string, { values: Map<string, number>; other: number }>();

  constructor(
    private readonly maxKeys = 24,
    private readonly maxValues = 30,
  ) {}

  /** Counts every attribute of one data point or record, `weight` times. */
  add(attributes: AttributeRecord, weight: number): void {
    this.put(attributes, (seen) => (seen ?? 0) + weight, weight);
  }

  /** Gives every attribute value of one data point `value`, replacing what it had (a gauge's latest reading). */
  set(attributes: AttributeRecord, value: number): void {
    this.put(attributes, () => value, 0);
  }

  private put(attributes: AttributeRecord, next: (seen: number | undefined) => number, overflow: number): void {
    for (const [name, raw] of Object.entries(attributes)) {
      const key = clip(name, MAX_NAME);
      let entry = this.keys.get(key);
      if (!entry) {
        if (this.keys.size >= this.maxKeys) continue;
        entry = { values: new Map(), other: 0 };
        this.keys.set(key, entry);
      }
      const value = clip(String(raw), MAX_VALUE_LENGTH);
      const seen = entry.values.get(value);
      if (seen !== undefined || entry.values.size < this.maxValues) entry.values.set(value, next(seen));
      else entry.other += overflow;
    }
  }

  /** Every key, in first-seen order, values sorted by count. */
  snapshot(): AttributeBreakdown[] {
    return [...this.keys].map(([key, entry]) => ({
      key,
      values: [...entry.values]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
      other: entry.other,
    }));
  }
}
