import { describe, expect, it } from 'vitest';
import { aheadOfClock, DELIVERY_GRACE_MS, isDeliverable, windowEnded } from '../../src/spool/window.js';

const HOUR = 3_600_000;
const YEAR = 365 * 24 * HOUR;
const now = Date.UTC(2025, 0, 15, 10, 30);

describe('isDeliverable', () => {
  it('holds the current and next windows until they are complete', () => {
    expect(isDeliverable(now - 2 * HOUR, 'hourly', now)).toBe(true);
    expect(isDeliverable(now, 'hourly', now)).toBe(false);
    expect(isDeliverable(now + HOUR, 'hourly', now)).toBe(false);
    expect(isDeliverable(now + 12 * HOUR, 'daily', now)).toBe(false);
  });

  it('delivers a window once it has ended and its grace has passed (a file is stamped just before it lands); a sender starts at its end', () => {
    const end = Date.UTC(2025, 0, 15, 11);
    const at = end - 1_000;
    expect(windowEnded(at, 'hourly', end - 1)).toBe(false);
    expect(windowEnded(at, 'hourly', end)).toBe(true);
    expect(isDeliverable(at, 'hourly', end + DELIVERY_GRACE_MS - 1)).toBe(false);
    expect(isDeliverable(at, 'hourly', end + DELIVERY_GRACE_MS)).toBe(true);
    expect(isDeliverable(at, 'immediate', at)).toBe(true);
  });

  it('delivers at once a file written while the clock was more than a window ahead', () => {
    expect(isDeliverable(now + YEAR, 'hourly', now)).toBe(true);
    expect(aheadOfClock(now + YEAR, 'hourly', now)).toBe(true);
    expect(isDeliverable(now + 25 * HOUR, 'daily', now)).toBe(true);
    expect(aheadOfClock(now + HOUR, 'hourly', now)).toBe(false);
  });
});
