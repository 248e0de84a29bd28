import { redact } from '../privacy/redact.js';

/**
 * Runs `redact()` over every string in a plain JSON value (object keys are left alone: they are
 * catalog and setting names). Already-redacted text is unchanged, because `redact` is idempotent.
 */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v)) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}
