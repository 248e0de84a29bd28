import { ATTR_ERROR_TYPE } from '../semconv/names.js';
import { errorClass } from './error-class.js';

/** Records one timed occurrence; implemented by the telemetry client. */
export type RecordTimed = (name: string, attributes: Record<string, unknown>, durationMs: number) => void;

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Runs `fn`, timing it and recording success or the closed error class when it returns, resolves,
 * throws or rejects. The result (or error) is passed through untouched: telemetry never changes
 * what the host sees.
 */
export function measureCall<R>(record: RecordTimed, name: string, attributes: Record<string, unknown>, fn: () => R): R {
  const start = performance.now();
  const done = (error: unknown, failed: boolean) => {
    const attrs: Record<string, unknown> = { ...attributes, success: !failed };
    if (failed) attrs[ATTR_ERROR_TYPE] = errorClass(error);
    record(name, attrs, performance.now() - start);
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
