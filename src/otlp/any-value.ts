import type { OtlpAnyValue, OtlpKeyValue } from './types.js';

/** A flat attribute value, as dashboards and assertions want it. */
export type AttributeValue = string | number | boolean;

/** Attributes keyed by name. */
export type AttributeRecord = Record<string, AttributeValue>;

/**
 * An AnyValue as a plain JS value: ints become numbers (exact up to 2^53), arrays and
 * key/value lists become arrays and objects, bytes stay base64, "empty" is undefined.
 */
export function anyValueToJs(value: OtlpAnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue) return value.arrayValue.values.map(anyValueToJs);
  if (value.kvlistValue) {
    const obj: Record<string, unknown> = {};
    for (const kv of value.kvlistValue.values) obj[kv.key] = anyValueToJs(kv.value);
    return obj;
  }
  return undefined;
}

/** An AnyValue as a flat attribute value: arrays and key/value lists become JSON text. */
function anyValueToAttribute(value: OtlpAnyValue | undefined): AttributeValue | undefined {
  const js = anyValueToJs(value);
  if (js === undefined) return undefined;
  if (typeof js === 'object' && js !== null) return JSON.stringify(js);
  return js as AttributeValue;
}

/** Key/value pairs as a record; empty values are left out, a repeated key keeps its last value. */
export function attributesToRecord(pairs: readonly OtlpKeyValue[] | undefined): AttributeRecord {
  const record: AttributeRecord = {};
  for (const kv of pairs ?? []) {
    const v = anyValueToAttribute(kv.value);
    if (v !== undefined) record[kv.key] = v;
  }
  return record;
}
