import { describe, expect, it } from 'vitest';
import { dayFileName, dayOf } from '../../src/history/day-file.js';

describe('dayOf', () => {
  it('names the UTC day of a time, as toISOString would, across month, year and leap-day boundaries', () => {
    const times = [0, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 2, 1), Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1), Date.UTC(2026, 8, 9, 12)];
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2026, 0, 1); t += 7 * 3_600_000 + 123) times.push(t);
    for (const t of times) expect(dayOf(t), String(t)).toBe(new Date(t).toISOString().slice(0, 10));
    expect(dayFileName(Date.UTC(2026, 2, 5, 1))).toBe('2026-03-05.jsonl');
  });
});
