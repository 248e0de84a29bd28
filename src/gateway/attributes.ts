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
 * A list left as it was is returned itself (so a clean item costs no copies, and `!==` tells a
 * caller that something changed); unchanged pairs in a changed list are the same objects.
 */
export function filterAttributes(
  event: CompiledEvent,
  tier: Tier,
  pairs: readonly OtlpKeyValue[],
  reasons: Reasons,
): OtlpKeyValue[] {
  if (pairs.length === 0) return pairs as OtlpKeyValue[];
  const node = verdictNode(event, tier, pairs);
  if (node === undefined) {
    const kept = check(event, tier, pairs, reasons);
    return sameList(kept, pairs) ? (pairs as OtlpKeyValue[]) : edited(kept, reasons);
  }
  let verdict = node.verdict;
  if (verdict === undefined) {
    const notes: Note[] = [];
    const kept = check(event, tier, pairs, { strip: (reason, name) => notes.push({ reason, name }) });
    verdict = { kept, unchanged: sameList(kept, pairs), notes };
    node.verdict = verdict;
  }
  for (const note of verdict.notes) reasons.strip(note.reason, note.name);
  return verdict.unchanged ? (pairs as OtlpKeyValue[]) : edited(verdict.kept.slice(), reasons);
}

/** A changed list, the change noted: a value redacted or re-typed is a change with no reason given. */
function edited(kept: OtlpKeyValue[], reasons: Pick<Reasons, 'edit'>): OtlpKeyValue[] {
  reasons.edit();
  return kept;
}

function sameList(a: readonly OtlpKeyValue[], b: readonly OtlpKeyValue[]): boolean {
  return a.length === b.length && a.every((kv, i) => kv === b[i]);
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
 * The validator's verdicts on attribute lists already seen, per compiled event and tier. Aggregates
 * repeat the same few lists in every export (a command, success, an exit code), so most points cost
 * a few lookups instead of a check. The verdict is the validator's own: this only remembers it.
 *
 * Remembered in a trie: one level per attribute, first by name, then by type and value. Walking it
 * looks each name and value up as it is (a decoded string hashes once), where a key built from the
 * whole list would be a new string to build and hash for every point. Bounded: at most MAX_NODES
 * nodes and branch tables across all events, then everything is forgotten at once. Only lists of at
 * most MAX_LIST scalar attributes, with names and texts of at most MAX_TEXT characters, are
 * remembered; any other list is checked every time and leaves nothing behind.
 */
const MAX_NODES = 16_384;
const MAX_LIST = 32;
const MAX_TEXT = 128;
let held = 0;

/** The verdict on the list that ends here, if seen; and the lists that go on from here, by next attribute name. */
interface TrieNode {
  verdict?: Verdict;
  readonly next: Map<string, ValueBranches>;
}

/** Where a list goes on after one attribute name, by the attribute's type and value. */
interface ValueBranches {
  readonly strings: Map<string, TrieNode>;
  readonly ints: Map<string, TrieNode>;
  readonly doubles: Map<number, TrieNode>;
  readonly bools: [TrieNode | undefined, TrieNode | undefined];
}

let roots = new WeakMap<CompiledEvent, Map<Tier, TrieNode>>();

function newNode(): TrieNode {
  held++;
  return { next: new Map() };
}

/** Whether a list is short, and all short names with scalar values of at most MAX_TEXT characters. */
function rememberable(pairs: readonly OtlpKeyValue[]): boolean {
  if (pairs.length > MAX_LIST) return false;
  for (const kv of pairs) {
    const v = kv.value;
    if (v === undefined || kv.key.length > MAX_TEXT) return false;
    if (v.stringValue !== undefined) {
      if (v.stringValue.length > MAX_TEXT) return false;
    } else if (v.boolValue === undefined && v.intValue === undefined && v.doubleValue === undefined) {
      return false;
    }
  }
  return true;
}

/** The trie node of a list on a tier, created as needed; undefined when the list is not `rememberable`. */
function verdictNode(event: CompiledEvent, tier: Tier, pairs: readonly OtlpKeyValue[]): TrieNode | undefined {
  if (!rememberable(pairs)) return undefined;
  // A walk adds at most a root and two entries per attribute, so the bound holds before it starts.
  if (held + 1 + 2 * pairs.length > MAX_NODES) {
    roots = new WeakMap();
    held = 0;
  }
  let byTier = roots.get(event);
  if (byTier === undefined) roots.set(event, (byTier = new Map()));
  let node: TrieNode | undefined = byTier.get(tier);
  if (node === undefined) byTier.set(tier, (node = newNode()));
  for (const kv of pairs) {
    const v = kv.value as OtlpAnyValue;
    let branches: ValueBranches | undefined = node.next.get(kv.key);
    if (branches === undefined) {
      held++;
      branches = { strings: new Map(), ints: new Map(), doubles: new Map(), bools: [undefined, undefined] };
      node.next.set(kv.key, branches);
    }
    let child: TrieNode | undefined;
    if (v.stringValue !== undefined) {
      child = branches.strings.get(v.stringValue);
      if (child === undefined) branches.strings.set(v.stringValue, (child = newNode()));
    } else if (v.boolValue !== undefined) {
      const slot = v.boolValue ? 1 : 0;
      child = branches.bools[slot] ?? (branches.bools[slot] = newNode());
    } else if (v.intValue !== undefined) {
      child = branches.ints.get(v.intValue);
      if (child === undefined) branches.ints.set(v.intValue, (child = newNode()));
    } else {
      // A double (rememberable lists hold nothing else). Map keys compare as SameValueZero: -0 meets 0, which the validator judges alike.
      const d = v.doubleValue as number;
      child = branches.doubles.get(d);
      if (child === undefined) branches.doubles.set(d, (child = newNode()));
    }
    node = child;
  }
  return node;
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
