import { redact } from './redact.js';

/** Labels remembered (resource values and scope names recur in every export of an installation). */
const MAX_REMEMBERED = 4096;
const remembered = new Map<string, string>();

/**
 * A short free string the catalog does not describe (a scope name, a resource value) made safe to
 * forward: redacted, cut to `max` characters (never through a surrogate pair), and redacted again,
 * since cutting can leave a shorter match behind. Results are remembered (bounded), since the
 * same few values arrive in every request.
 */
export function cleanLabel(value: string, max: number): string {
  if (value === '') return value;
  const key = value.length <= max ? value : undefined;
  const known = key === undefined ? undefined : remembered.get(key);
  if (known !== undefined) return known;
  let out = redact(value);
  if (out.length > max) {
    const code = out.charCodeAt(max - 1);
    out = redact(out.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max));
  }
  if (key !== undefined) {
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(key, out);
  }
  return out;
}
