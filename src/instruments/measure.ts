import { errorClass } from './error-class.js';
import type { Outcome } from './telemetry.js';

/** Records one timed occurrence and how it ended; implemented by the telemetry client. */
export type RecordTimed = (name: string, attributes: unknown, durationMs: number, outcome: Outcome) => void;

/** Whether a value is a thenable (what `await` would wait for). */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Runs `fn`, timing it and recording success or the closed error class when it returns, resolves,
 * throws or rejects. The result (or error) is passed through untouched: telemetry never changes
 * what the host sees.
 */
export function measureCall<R>(record: RecordTimed, name: string, attributes: unknown, fn: () => R): R {
  const start = performance.now();
  const done = (error: unknown, failed: boolean) => {
    record(name, attributes, performance.now() - start, failed ? { success: false, errorType: errorClass(error) } : { success: true });
  };
  let result: R;
  try {
    result = fn();
  } catch (error) {
    done(error, true);
    throw error;
  }
  if (isPromiseLike(result)) {
    result.then(
      () => done(undefined, false),
      (error: unknown) => done(error, true),
    );
    return result;
  }
  done(undefined, false);
  return result;
}
