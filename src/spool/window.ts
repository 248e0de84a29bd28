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
 * How long after a window ends it is delivered: a file is stamped a few ms before it lands in the
 * spool (its records are serialized in between), and a sender must not deliver a window without it.
 */
export const DELIVERY_GRACE_MS = 5_000;

/**
 * Whether a file written at `at` may be delivered at `now`: only windows completed (for
 * `DELIVERY_GRACE_MS`) are sent, and files from the future (see `aheadOfClock`), which would
 * otherwise wait until that date.
 */
export function isDeliverable(at: number, flush: Flush, now: number): boolean {
  return endedBy(at, flush, now, DELIVERY_GRACE_MS);
}

/**
 * Whether the window of a file written at `at` has ended by `now` (or the file is from the future,
 * or `immediate`): what starts a sender, which then waits out `DELIVERY_GRACE_MS` before it claims.
 */
export function windowEnded(at: number, flush: Flush, now: number): boolean {
  return endedBy(at, flush, now, 0);
}

function endedBy(at: number, flush: Flush, now: number, grace: number): boolean {
  // Runs for every spool file on a CLI's exit: the window is worked out once.
  const window = windowOf(at, flush);
  return window === undefined || window.end + grace <= now || ahead(at, window, now);
}

/** How far ahead of this clock a time written on this machine may be and still be believed. */
export const CLOCK_SKEW_MS = 60_000;
/** Before this, a time was written by a clock that was not set (1970, a dead RTC battery). */
const CLOCK_FLOOR = Date.UTC(2024, 0, 1);

function ahead(at: number, window: DeliveryWindow | undefined, now: number): boolean {
  return at - now > (window ? window.end - window.start : CLOCK_SKEW_MS);
}

/** Whether `at` is more than one window (a minute for `immediate`) ahead of `now`: it was written while the clock was ahead. */
export function aheadOfClock(at: number, flush: Flush, now: number): boolean {
  return ahead(at, windowOf(at, flush), now);
}

/** Whether `at` was written by a wrong clock: ahead of `now` (see `aheadOfClock`), or before 2024 while `now` is not. */
export function misdated(at: number, flush: Flush, now: number): boolean {
  return aheadOfClock(at, flush, now) || (at < CLOCK_FLOOR && now >= CLOCK_FLOOR);
}
