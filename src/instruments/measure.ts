import { diagLog } from '../diag.js';
import { errorClass } from './error-class.js';
import type { Outcome } from './telemetry.js';

/** Records one timed occurrence and how it ended; implemented by the telemetry client. */
export type RecordTimed = (name: string, attributes: unknown, durationMs: number, outcome: Outcome | undefined) => void;

/** Whether a value is a thenable (what `await` would wait for); false when even asking throws (a revoked Proxy). */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  try {
    return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

/**
 * Runs `fn`, timing it and recording success or the closed error class when it returns, throws, or
 * (a Promise) resolves or rejects. The result (or error) is passed through untouched: telemetry
 * never changes what the host sees.
 */
export function measureCall<R>(record: RecordTimed, name: string, attributes: unknown, fn: () => R): R {
  const start = performance.now();
  const done = (outcome: Outcome | undefined) => record(name, attributes, performance.now() - start, outcome);
  const failed = (error: unknown) => done({ success: false, errorType: errorClass(error) });
  let result: R;
  try {
    result = fn();
  } catch (error) {
    failed(error);
    throw error;
  }
  if (isPromise(result)) {
    // The intrinsic `then`, not an overridden one; a subclass's constructor still runs (any await
    // would run it too), and whatever it throws stays out of the host's way.
    try {
      Promise.prototype.then.call(result, () => done({ success: true }), failed);
    } catch {
      done(undefined);
    }
  } else if (isPromiseLike(result)) {
    // Another thenable is never touched: a query builder runs its query on every `then`, so one
    // call from here would run it twice. Recorded when the function returned, with no outcome
    // (whether the work succeeds is not known here).
    diagLog('warn', `"${name}" returned a thenable that is not a Promise: recorded without its outcome (return a Promise to time the work)`);
    done(undefined);
  } else {
    done({ success: true });
  }
  return result;
}

/** Whether a value is a native Promise (`instanceof` can throw on a revoked Proxy). Not `util.types`: a CLI would load node:util at start-up for it. */
function isPromise(value: unknown): value is Promise<unknown> {
  try {
    return value instanceof Promise;
  } catch {
    return false;
  }
}
