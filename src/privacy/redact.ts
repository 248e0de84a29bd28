/**
 * Value-level PII redactor: replaces sensitive substrings of a free-form string with `<kind>`
 * placeholders. Runs on every allowed string in a CLI's hot path, so it bails out early on strings
 * that cannot match (see `PRECHECK` and each rule's `hint`) and every regex is compiled once.
 */
import { canonical } from './canonical.js';
import { PRECHECK, RULES, type RedactionKind } from './redact-patterns.js';

export type { RedactionKind } from './redact-patterns.js';

/** Returned instead of the input whenever redaction itself fails: never leak on error. */
const FALLBACK = '<redacted>';

/**
 * Applies every rule in order, recording in `found` each kind that actually replaced something;
 * again (at most twice more) when something was replaced, since a placeholder can end what hid a
 * value glued to it (`DESKTOP-1A2B3C4~/notes` → `<hostname>~/notes` → `<hostname><path>`).
 */
function apply(value: string, found: Set<RedactionKind> | undefined): string {
  if (value.length === 0) return value;
  // Rewritten only where a rule then finds something: harmless text comes back as it was given.
  const read = canonical(value);
  if (!PRECHECK.test(read)) return value;
  let out = read;
  for (let pass = 0; pass < 3; pass++) {
    const next = applyRules(out, found);
    if (next === out) break;
    out = next;
  }
  return out === read ? value : out;
}

/** One pass of the rules over `value`. */
function applyRules(value: string, found: Set<RedactionKind> | undefined): string {
  let out = value;
  for (const rule of RULES) {
    if (!rule.hint.test(out)) continue;
    const placeholder = `<${rule.kind}>`;
    out = out.replace(rule.pattern, (match: string, ...rest: unknown[]) => {
      // `rest` is the capture groups followed by offset and whole string (no named groups are used).
      const next = rule.replace ? rule.replace(match, rest.slice(0, -2) as (string | undefined)[]) : placeholder;
      if (next !== match) found?.add(rule.kind);
      return next;
    });
  }
  return out;
}

/**
 * Returns `value` with each sensitive match replaced by `<kind>` (a URL with credentials or a
 * credential query parameter is replaced WHOLE by `<url>`; headers/assignments keep their key, e.g.
 * `Bearer <token>`, `password=<secret>`); harmless input is returned unchanged; idempotent; never
 * throws (on an internal error, or a non-string from untyped callers, returns `<redacted>`).
 */
export function redact(value: string): string {
  try {
    return typeof value === 'string' ? apply(value, undefined) : FALLBACK;
  } catch {
    return FALLBACK;
  }
}

/** Returns the distinct kinds `redact(value)` would replace, in rule order; never throws (`[]` for non-strings). */
export function findSensitive(value: string): RedactionKind[] {
  const found = new Set<RedactionKind>();
  try {
    if (typeof value === 'string') apply(value, found);
  } catch {
    // Report whatever was detected before the failure.
  }
  return [...found];
}

/**
 * Characters kept past the cap before redacting: any value the rules recognise that crosses the cap
 * is still seen whole, while a megabyte-long string costs what its first few kilobytes cost.
 */
const REDACT_MARGIN = 4096;

/** Caps a string without leaving half a surrogate pair at the end. */
function cap(value: string, max: number): string {
  if (value.length <= max) return value;
  const code = value.charCodeAt(max - 1);
  return value.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * `value` redacted and cut to `max` characters: redacted, cut, and redacted again (a few times if
 * need be), since cutting can expose a shorter match (a card number whose trailing digits were cut
 * off) and what leaves must already be what the gateway would let through. Never throws.
 */
export function redactCapped(value: string, max: number): string {
  let read = value;
  if (value.length > max + REDACT_MARGIN) {
    read = cap(value, max + REDACT_MARGIN);
    // A word cut in two cannot be judged (a 6 KB JWT without its signature is no JWT): it goes whole.
    if (/\S/.test(value.charAt(read.length))) read = read.replace(/\S+$/, FALLBACK);
  }
  const whole = redact(read);
  // Nothing cut, nothing new to find: redact() leaves its own output unchanged.
  if (whole.length <= max) return whole;
  let out = cap(whole, max);
  for (let i = 0; i < 3; i++) {
    const again = cap(redact(out), max);
    if (again === out) break;
    out = again;
  }
  return out;
}
