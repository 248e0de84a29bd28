/**
 * Value-level PII redactor: replaces sensitive substrings of a free-form string with `<kind>`
 * placeholders. Runs on every allowed string in a CLI's hot path, so it bails out early on strings
 * that cannot match (see `PRECHECK` and each rule's `hint`) and every regex is compiled once.
 */
import { PRECHECK, RULES, type RedactionKind } from './redact-patterns.js';

export type { RedactionKind } from './redact-patterns.js';

/** Returned instead of the input whenever redaction itself fails: never leak on error. */
const FALLBACK = '<redacted>';

// Where NFKC folding or invisible characters can hide a value: soft hyphen, general punctuation
// (zero-width and direction marks), letterlike, number and enclosed forms, small and full-width forms.
// Other scripts (accents, CJK, emoji) skip the folding: it costs more than every rule together.
const FOLDABLE = /[\u00ad\u2000-\u206f\u2100-\u24ff\ufe00-\uffef]/;
// Zero-width and other invisible format characters, which split a value so no rule sees it whole.
const INVISIBLE = /\p{Cf}/gu;
// Percent-encoded separators (`%2Fhome%2Falice`, `alice%40example.com`).
const ENCODED_SEPARATOR = /%(?:2f|5c|40|3a)/gi;
const DECODED: Readonly<Record<string, string>> = { '%2f': '/', '%5c': '\\', '%40': '@', '%3a': ':' };

/**
 * The form the rules read: compatibility-normalized (full-width `１９２．１６８…` and `＠` become
 * ASCII, as an input method types them), invisible characters removed, separators decoded. Only
 * for strings that hold such characters, so ordinary text costs two tests.
 */
function canonical(value: string): string {
  let out = value;
  if (FOLDABLE.test(out)) out = out.normalize('NFKC').replace(INVISIBLE, '');
  if (out.includes('%')) out = out.replace(ENCODED_SEPARATOR, (e) => DECODED[e.toLowerCase()] ?? e);
  return out;
}

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
