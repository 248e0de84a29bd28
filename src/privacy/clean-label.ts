import { redactCapped } from './redact.js';

/** Labels remembered (resource values and scope names recur in every export of an installation). */
const MAX_REMEMBERED = 4096;
const remembered = new Map<string, string>();

/**
 * A short free string the catalog does not describe (a scope name, a resource value) made safe to
 * forward: `redactCapped` to `max` characters. Results are remembered (bounded), since the same few
 * values arrive in every request.
 */
export function cleanLabel(value: string, max: number): string {
  if (value === '') return value;
  const key = value.length <= max ? value : undefined;
  const known = key === undefined ? undefined : remembered.get(key);
  if (known !== undefined) return known;
  const out = redactCapped(value, max);
  if (key !== undefined) {
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(key, out);
  }
  return out;
}
