import type { Flush } from '../config/settings.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A delivery window `[start, end)` in epoch ms. */
export interface DeliveryWindow {
  readonly start: number;
  readonly end: number;
}

/**
 * The window a time falls in. Hourly and daily windows are aligned to UTC so every installation
 * rolls up the same way; `immediate` has no window (each delivery is its own).
 */
export function windowOf(time: number, flush: Flush): DeliveryWindow | undefined {
  if (flush === 'immediate') return undefined;
  const size = flush === 'hourly' ? HOUR : DAY;
  const start = Math.floor(time / size) * size;
  return { start, end: start + size };
}

/**
 * Whether a file written at `at` may be delivered at `now`: only completed windows are sent, and
 * files from the future (see `aheadOfClock`), which would otherwise wait until that date.
 */
export function isDeliverable(at: number, flush: Flush, now: number): boolean {
  const window = windowOf(at, flush);
  return window === undefined || window.end <= now || aheadOfClock(at, flush, now);
}

/** How far ahead of now an `immediate` file may be stamped before it counts as written under a clock that was ahead. */
const IMMEDIATE_SKEW_MS = 60_000;

/** Whether `at` is more than one window (a minute for `immediate`) ahead of `now`: it was written while the clock was ahead. */
export function aheadOfClock(at: number, flush: Flush, now: number): boolean {
  const window = windowOf(at, flush);
  return at - now > (window ? window.end - window.start : IMMEDIATE_SKEW_MS);
}
