import type { OtlpAnyValue, OtlpKeyValue } from '../otlp/types.js';
import type { Tier } from '../semconv/attributes.js';
import { checkAttributes, type CompiledEvent } from '../privacy/validator.js';
import type { Reasons } from './reasons.js';

// Stand-ins the validator's type checks recognise ("got an array", "got an object"): composite and
// byte values are refused by the same rule that refuses them in the SDK.
const ARRAY: readonly unknown[] = Object.freeze([]);
const OBJECT: object = Object.freeze({});

/**
 * The plain value the catalog's rules judge for an OTLP AnyValue: strings, booleans and numbers
 * as themselves (an int64 beyond 2^53 loses precision, but no catalog range reaches that far),
 * arrays, key/value lists and bytes as composites the rules refuse, an empty value as undefined.
 */
function wireOf(value: OtlpAnyValue | undefined): unknown {
  if (value === undefined) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return ARRAY;
  if (value.kvlistValue !== undefined || value.bytesValue !== undefined) return OBJECT;
  return undefined;
}

/**
 * The attributes of one data point, log record or span that the catalog allows on `tier`, checked
 * by the SDK's own validator (`checkAttributes`: names, types, ranges, closed sets, tiers, text
 * redacted again). Each refused attribute is removed and noted in `reasons`; the item is kept.
 * Unchanged pairs are returned as the same objects, so a clean item costs no copies.
 */
export function filterAttributes(
  event: CompiledEvent,
  tier: Tier,
  pairs: readonly OtlpKeyValue[],
  reasons: Reasons,
): OtlpKeyValue[] {
  if (pairs.length === 0) return pairs as OtlpKeyValue[];
  const key = verdictKey(tier, pairs);
  if (key === undefined) return check(event, tier, pairs, reasons);
  const known = verdictsOf(event);
  let verdict = known.get(key);
  if (verdict === undefined) {
    const notes: Note[] = [];
    const kept = check(event, tier, pairs, { strip: (reason, name) => notes.push({ reason, name }) });
    verdict = { kept, unchanged: kept.length === pairs.length && kept.every((kv, i) => kv === pairs[i]), notes };
    remember(event, key, verdict);
  }
  for (const note of verdict.notes) reasons.strip(note.reason, note.name);
  return verdict.unchanged ? (pairs as OtlpKeyValue[]) : verdict.kept.slice();
}

interface Note {
  readonly reason: string;
  readonly name: string | undefined;
}

interface Verdict {
  readonly kept: readonly OtlpKeyValue[];
  readonly unchanged: boolean;
  readonly notes: readonly Note[];
}

/*
 * The validator's verdicts on attribute sets already seen, per compiled event. Aggregates repeat
 * the same few sets in every export (a command, success, an exit code), so most points cost one
 * lookup instead of a check. The verdict is the validator's own: this only remembers it. Bounded:
 * at most MAX_VERDICTS across all events (then everything is forgotten at once), keys at most
 * MAX_KEY characters.
 */
const MAX_VERDICTS = 8192;
const MAX_KEY = 256;
let generation = 0;
let held = 0;
const verdicts = new WeakMap<CompiledEvent, { generation: number; map: Map<string, Verdict> }>();

function verdictsOf(event: CompiledEvent): Map<string, Verdict> {
  let entry = verdicts.get(event);
  if (entry === undefined || entry.generation !== generation) {
    entry = { generation, map: new Map() };
    verdicts.set(event, entry);
  }
  return entry.map;
}

function remember(event: CompiledEvent, key: string, verdict: Verdict): void {
  if (++held > MAX_VERDICTS) {
    generation++;
    held = 1;
  }
  verdictsOf(event).set(key, verdict);
}

/**
 * The exact identity of a list of scalar attributes on a tier (every part length-prefixed, so no
 * two lists share a key), or undefined when it holds a composite or is too long to be worth keeping.
 */
function verdictKey(tier: Tier, pairs: readonly OtlpKeyValue[]): string | undefined {
  let key: string = tier;
  for (const kv of pairs) {
    const v = kv.value;
    if (v === undefined) return undefined;
    let text: string;
    let type: string;
    if (v.stringValue !== undefined) (type = 's'), (text = v.stringValue);
    else if (v.boolValue !== undefined) (type = 'b'), (text = v.boolValue ? '1' : '0');
    else if (v.intValue !== undefined) (type = 'i'), (text = v.intValue);
    else if (v.doubleValue !== undefined) (type = 'd'), (text = String(v.doubleValue));
    else return undefined;
    key += `|${kv.key.length}:${kv.key}${type}${text.length}:${text}`;
    if (key.length > MAX_KEY) return undefined;
  }
  return key;
}

/** The validator applied to one attribute list (the uncached path). */
function check(event: CompiledEvent, tier: Tier, pairs: readonly OtlpKeyValue[], reasons: Pick<Reasons, 'strip'>): OtlpKeyValue[] {
  // No prototype: a key such as "__proto__" or "constructor" is just another unknown attribute.
  const input: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const originals: Record<string, OtlpKeyValue> = Object.create(null) as Record<string, OtlpKeyValue>;
  for (const kv of pairs) {
    input[kv.key] = wireOf(kv.value);
    originals[kv.key] = kv;
  }
  const checked = checkAttributes(event, tier, input);
  const out: OtlpKeyValue[] = [];
  const allowed = checked.attributes;
  for (const key in allowed) {
    const value = allowed[key];
    const original = originals[key] as OtlpKeyValue;
    out.push(value === input[key] && !isLooseInt(event, key, original) ? original : { key, value: anyValueOf(event, key, value as string | number | boolean) });
  }
  if (checked.rejected.length > 0) noteRejected(event, input, allowed, checked.rejected, reasons);
  return out;
}

/** An integer that arrived as a double for an `int` attribute: re-typed so the upstream sees what the SDK sends. */
function isLooseInt(event: CompiledEvent, key: string, kv: OtlpKeyValue): boolean {
  return kv.value?.doubleValue !== undefined && event.definition.attributes?.[key]?.kind === 'int';
}

function anyValueOf(event: CompiledEvent, key: string, value: string | number | boolean): OtlpAnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Number.isInteger(value) && event.definition.attributes?.[key]?.kind === 'int') return { intValue: String(value) };
  return { doubleValue: value };
}

/**
 * Notes each refused attribute as `<event>: "<key>" <why>`. The validator reports `<key>: <why>` in
 * the order it walked `input`, which is the order walked here, so each key meets its own reason.
 */
function noteRejected(
  event: CompiledEvent,
  input: Record<string, unknown>,
  allowed: Record<string, unknown>,
  rejected: readonly string[],
  reasons: Pick<Reasons, 'strip'>,
): void {
  let i = 0;
  for (const key in input) {
    if (Object.hasOwn(allowed, key)) continue;
    const why = rejected[i++];
    if (why === undefined) break;
    const detail = why.startsWith(`${key}: `) ? why.slice(key.length + 2) : why;
    reasons.strip(`attribute %s of ${event.name} (${detail})`, key);
  }
}
