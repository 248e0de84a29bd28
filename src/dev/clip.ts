import type { AttributeRecord } from '../otlp/flatten.js';

/** Longest text kept for display: the dev server shows telemetry, it does not archive whatever a sender puts in it. */
export const MAX_TEXT = 300;
/** Longest name kept (events, metrics, services, attribute keys). */
export const MAX_NAME = 100;

/** `text` cut to `max` characters, with an ellipsis when cut. */
export function clip(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** At most `maxAttributes` attributes, keys cut to `MAX_NAME` and string values to `maxValue`. */
export function clipAttributes(attributes: AttributeRecord, maxAttributes: number, maxValue = MAX_TEXT): AttributeRecord {
  const out: AttributeRecord = {};
  let n = 0;
  for (const [key, value] of Object.entries(attributes)) {
    if (n++ >= maxAttributes) break;
    out[clip(key, MAX_NAME)] = typeof value === 'string' ? clip(value, maxValue) : value;
  }
  return out;
}
