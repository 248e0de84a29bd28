import { diagLog } from '../diag.js';

/**
 * Parses an on/off switch; blank means unset. Anything unrecognised warns and counts as unset, or
 * with `unclear: 'off'` as off.
 */
export function parseSwitch(value: unknown, where: string, unclear: 'unset' | 'off' = 'unset'): boolean | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  if (typeof value === 'boolean') return value;
  const on = switchValue(String(value));
  if (on !== undefined) return on;
  diagLog('warn', `${where}: "${String(value)}" is not on/off; ${unclear === 'off' ? 'taken as off' : 'ignored'}`);
  return unclear === 'off' ? false : undefined;
}

/**
 * Parses a consent switch (a tier, or `enabled`): a value that is not on/off counts as off, saying
 * so. Someone who wrote `of` or `nope` meant to say something, and off is the reading that cannot
 * collect what they refused.
 */
export function parseConsent(value: unknown, where: string): boolean | undefined {
  return parseSwitch(value, where, 'off');
}

/** An on/off word (any case, spaces around), or undefined for anything else; says nothing. */
export function switchValue(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (['1', 'on', 'true', 'yes', 'enabled'].includes(word)) return true;
  if (['0', 'off', 'false', 'no', 'disabled'].includes(word)) return false;
  return undefined;
}

/** Parses one of a closed set of strings; blank means unset, others warn. */
export function parseChoice<T extends string>(value: unknown, choices: readonly T[], where: string): T | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value).trim().toLowerCase();
  if (text === '') return undefined;
  if ((choices as readonly string[]).includes(text)) return text as T;
  diagLog('warn', `${where}: "${String(value)}" is not one of ${choices.join('|')}; ignored`);
  return undefined;
}

/**
 * Parses a positive integer, held to `max` (a timer's delay past 2^31 − 1 ms fires at once in Node,
 * so "no timeout" written as a huge number would time out every export); blank means unset, others warn.
 */
export function parsePositiveInt(value: unknown, where: string, max: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (Number.isSafeInteger(n) && n > max) {
    diagLog('warn', `${where}: "${String(value)}" is over ${max}; ${max} is used`);
    return max;
  }
  if (Number.isSafeInteger(n) && n > 0) return n;
  diagLog('warn', `${where}: "${String(value)}" is not a positive integer; ignored`);
  return undefined;
}

/** Parses an http(s) URL; others warn. */
export function parseUrl(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value).trim();
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return text;
  } catch {
    // fall through to the warning
  }
  diagLog('warn', `${where}: "${text}" is not an http(s) URL; ignored`);
  return undefined;
}

/**
 * Parses the W3C-baggage-like `key=value,key2=value2` list used by `OTEL_EXPORTER_OTLP_HEADERS` and
 * `OTEL_RESOURCE_ATTRIBUTES` (values percent-decoded); malformed entries warn and are skipped.
 */
export function parseKeyValueList(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined || value === null || String(value).trim() === '') return undefined;
  const out: Record<string, string> = {};
  for (const part of String(value).split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq).trim() : '';
    if (!key) {
      diagLog('warn', `${where}: entry "${part}" is not key=value; skipped`);
      continue;
    }
    try {
      out[key] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      diagLog('warn', `${where}: entry "${key}" is not valid percent-encoding; skipped`);
    }
  }
  return out;
}

/** A string-to-string record from a JSON value; other shapes warn. */
export function parseStringRecord(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string')) {
    return { ...(value as Record<string, string>) };
  }
  diagLog('warn', `${where}: expected an object of strings; ignored`);
  return undefined;
}

// RFC 9110's token and field-value, as Node's http checks them: one bad header makes every request
// throw before it is sent, so it is dropped here instead. (Kept here, not imported from node:http,
// which a CLI would otherwise load at start-up.)
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Whether `name` may be an HTTP header name. */
export function isHeaderName(name: string): boolean {
  return HEADER_NAME.test(name);
}

/** Whether `value` may be an HTTP header value (no CR, LF, NUL or other control characters). */
export function isHeaderValue(value: string): boolean {
  return HEADER_VALUE.test(value);
}

/** Headers for the exporter: entries that are not valid HTTP warn (naming the header, never its value) and are skipped. */
export function validHeaders(headers: Record<string, string> | undefined, where: string): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!isHeaderName(name)) diagLog('warn', `${where}: "${name}" is not a valid header name; skipped`);
    else if (!isHeaderValue(value)) diagLog('warn', `${where}: the value of "${name}" has characters a header cannot carry; skipped`);
    else out[name] = value;
  }
  return out;
}
