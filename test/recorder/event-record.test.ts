import { describe, expect, it } from 'vitest';
import { keepTiers, type EventRecord } from '../../src/recorder/event-record.js';

const record: EventRecord = { name: 'todo.item.added', time: 1, attrs: { 'list.size': '1-10' }, extra: { text: 'secret words' }, tiers: ['metrics', 'events'] };

describe('keepTiers', () => {
  it('keeps a record whose tiers are all allowed as it is', () => {
    expect(keepTiers([record], () => true)[0]).toBe(record);
  });

  it('drops the events-only attributes of a record left with only the metrics tier (a metric never carries them)', () => {
    expect(keepTiers([record], (t) => t === 'metrics')).toEqual([{ name: 'todo.item.added', time: 1, attrs: { 'list.size': '1-10' }, tiers: ['metrics'] }]);
    expect(keepTiers([{ ...record, tiers: ['metrics', 'events', 'traces'] }], (t) => t !== 'events')[0]!.extra).toEqual({ text: 'secret words' });
  });

  it('drops a record left with no tier', () => {
    expect(keepTiers([record], (t) => t === 'traces')).toEqual([]);
  });
});
