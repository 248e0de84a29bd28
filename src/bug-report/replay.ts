import { setTimeout as sleep } from 'node:timers/promises';
import type { WireAttributes } from '../privacy/validator.js';
import type { EventRecord } from '../recorder/event-record.js';
import type { BugReport } from './bundle.js';

/** Called for each replayed event with its attributes (all tiers merged) and the record itself. */
export type ReplayHandler = (attributes: WireAttributes, record: EventRecord) => void | Promise<void>;

/** Handlers by event name; `'*'` takes every event without its own handler. */
export type ReplayHandlers = { readonly [name: string]: ReplayHandler | undefined };

/** How to replay. */
export interface ReplayOptions {
  /** `fast` (default): back to back. `original`: keep the recorded gaps between events. */
  readonly timing?: 'original' | 'fast';
  /** In `original` timing, play this many times faster (default 1; 10 = ten times faster). */
  readonly speed?: number;
  /** In `original` timing, no gap (after `speed`) lasts longer than this (default 10 000 ms): a night between two commands is not worth waiting for. */
  readonly maxGapMs?: number;
  /** Stops the replay: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** What a replay did. */
export interface ReplayResult {
  /** Events handed to a handler. */
  readonly played: number;
  /** Events with no handler (and no `'*'`). */
  readonly skipped: number;
}

async function waitUntil(target: number, signal: AbortSignal | undefined): Promise<void> {
  // Timers may fire a fraction of a millisecond early: loop until the clock has really passed.
  for (let left = target - performance.now(); left > 0; left = target - performance.now()) {
    try {
      await sleep(Math.ceil(left), undefined, { signal });
    } catch (error) {
      // The timer rejects with a generic AbortError; the caller gave a reason, so that is what it gets.
      signal?.throwIfAborted();
      throw error;
    }
  }
}

/**
 * Plays recorded events back in time order, awaiting each handler before the next: a regression
 * test feeds a user's bug report to handlers that rebuild state or assert on it. In `original`
 * timing each event is due at its recorded offset from the first (gaps scaled by `speed` and capped
 * by `maxGapMs`); a slow handler delays only events that were already due. A record that stands for
 * several occurrences (`count` > 1) is played once. A handler's error rejects the replay.
 */
export async function replay(
  source: BugReport | readonly EventRecord[],
  handlers: ReplayHandlers,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const { timing = 'fast', speed = 1, maxGapMs = 10_000, signal } = options;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`replay speed must be a positive number, got ${speed}`);
  if (!(maxGapMs >= 0)) throw new RangeError(`replay maxGapMs must be zero or more, got ${maxGapMs}`);
  const records = [...('events' in source ? source.events : source)].sort((a, b) => a.time - b.time);
  signal?.throwIfAborted();

  const start = performance.now();
  let due = 0;
  let previous: number | undefined;
  let played = 0;
  let skipped = 0;
  for (const record of records) {
    if (previous !== undefined) due += Math.min((record.time - previous) / speed, maxGapMs);
    previous = record.time;
    const handler = Object.hasOwn(handlers, record.name) ? handlers[record.name] : handlers['*'];
    if (!handler) {
      skipped++;
      continue;
    }
    if (timing === 'original') await waitUntil(start + due, signal);
    signal?.throwIfAborted();
    await handler({ ...record.attrs, ...record.extra }, record);
    played++;
  }
  return { played, skipped };
}
