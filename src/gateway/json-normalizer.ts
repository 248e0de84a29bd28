import { enumValues } from '../otlp/normalize.js';
import { OtlpDecodeError } from '../otlp/errors.js';
import { allMessagePlans, type FieldPlan, type MessagePlan, requestPlan } from '../otlp/field-plan.js';
import { fromBase64, fromIdString, jsonToDecimal, jsonToDouble, toBase64, toHex } from '../otlp/scalars.js';
import type { OtlpSignal } from '../otlp/signals.js';
import type { OtlpRequestMap } from '../otlp/types.js';

type Source = Record<string, unknown>;
type Normalize = (src: Source) => Source;

/** What the generated functions call: the scalar conversions of `otlp/normalize.ts`, and its errors. */
interface JsonHelpers {
  readonly path: (string | number)[];
  fail(field: string | number, problem: string): never;
  double(v: unknown, field: string | number): number;
  int64(v: unknown, field: string | number): string;
  uint64(v: unknown, field: string | number): string;
  int32(v: unknown, field: string | number): number;
  enumOf(v: unknown, field: string | number, enumPath: string): number;
  bytes(v: unknown, field: string | number): string;
  id(v: unknown, field: string | number): string;
}

let compiled: ReadonlyMap<MessagePlan, Normalize> | undefined;

/**
 * Normalizes a parsed OTLP/JSON request exactly as `decodeRequest` does (the same output, the same
 * 400 with the same path in its reason — `test/gateway/json-normalizer.test.ts` holds them equal),
 * about three times faster: like `otlp/wire.ts` for protobuf, one function per message type is
 * generated from the schema table, once, instead of walking the table for every object. JSON is
 * the gateway's slowest input; this is most of what it costs.
 */
export function normalizeJsonRequest<S extends OtlpSignal>(signal: S, parsed: unknown): OtlpRequestMap[S] {
  compiled ??= compile();
  const plan = requestPlan(signal);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OtlpDecodeError(400, `JSON body must be an object (an ${plan.name})`);
  }
  helpers.path.length = 0;
  return (compiled.get(plan) as Normalize)(parsed as Source) as unknown as OtlpRequestMap[S];
}

const helpers: JsonHelpers = {
  path: [],
  fail(field, problem) {
    let where = '';
    for (const part of [...this.path, field]) where += typeof part === 'number' ? `[${part}]` : where ? `.${part}` : part;
    throw new OtlpDecodeError(400, `${where} ${problem}`);
  },
  double(v, field) {
    return typeof v === 'number' ? v : (jsonToDouble(v) ?? this.fail(field, 'must be a number'));
  },
  int64(v, field) {
    return (typeof v === 'string' && isCanonical(v, true)) ? v : (jsonToDecimal(v, true) ?? this.fail(field, 'must be an int64 (number or decimal string)'));
  },
  uint64(v, field) {
    return (typeof v === 'string' && isCanonical(v, false)) ? v : (jsonToDecimal(v, false) ?? this.fail(field, 'must be an uint64 (number or decimal string)'));
  },
  int32(v, field) {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n === 'number' && Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 32) return n;
    return this.fail(field, 'must be a 32-bit integer');
  },
  enumOf(v, field, enumPath) {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    const byName = typeof v === 'string' ? enumValues(enumPath).get(v) : undefined;
    return byName ?? this.fail(field, 'must be an enum number or name');
  },
  bytes(v, field) {
    const bytes = typeof v === 'string' ? fromBase64(v) : undefined;
    return bytes ? toBase64(bytes) : this.fail(field, 'must be base64');
  },
  id(v, field) {
    // The common case, lowercase hex of 8 or 16 bytes, is already normalized.
    if (typeof v === 'string' && (v.length === 32 || v.length === 16) && /^[0-9a-f]*$/.test(v)) return v;
    const bytes = typeof v === 'string' ? fromIdString(v) : undefined;
    return bytes ? toHex(bytes) : this.fail(field, 'must be a hex id');
  },
};

/** `^(0|-?[1-9][0-9]{0,17})$` (what `jsonToDecimal` passes through untouched) without a regex. */
function isCanonical(s: string, signed: boolean): boolean {
  const n = s.length;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (!signed) return false;
    i = 1;
  }
  if (n - i < 1 || n - i > 18) return false;
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1;
  if (first < 49 || first > 57) return false;
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9]*$/;

function compile(): ReadonlyMap<MessagePlan, Normalize> {
  const plans = allMessagePlans();
  const index = new Map(plans.map((plan, i) => [plan, i]));
  const source: string[] = [];
  for (const [i, plan] of plans.entries()) {
    const oneofs = [...new Set(plan.fields.map((f) => f.oneof).filter((g) => g !== undefined))];
    source.push(`function N${i}(src) {`, 'var out = {}, v, a, r, i, n, P = h.path;');
    for (const group of oneofs) source.push(`var taken_${group} = '';`);
    for (const f of plan.fields) source.push(fieldCode(f, index));
    source.push('return out; }');
  }
  source.push(`return [${plans.map((_, i) => `N${i}`).join(', ')}];`);
  const fns = new Function('h', source.join('\n'))(helpers) as Normalize[];
  return new Map(plans.map((plan, i) => [plan, fns[i] as Normalize]));
}

function fieldCode(f: FieldPlan, index: ReadonlyMap<MessagePlan, number>): string {
  const name = f.name;
  // Field names never shadow Object.prototype members, so a plain read sees own properties only.
  if (!IDENTIFIER.test(name) || name in Object.prototype) throw new Error(`otlp: field name ${JSON.stringify(name)} cannot be read directly`);
  const q = JSON.stringify(name);
  const absent = f.repeated ? `out.${name} = [];` : f.fill !== undefined ? `out.${name} = ${JSON.stringify(f.fill)};` : '';
  let oneof = '';
  if (f.oneof) {
    const g = `taken_${f.oneof}`;
    oneof = `if (${g} !== '') h.fail(${q}, 'is set together with "' + ${g} + '" but both belong to oneof "${f.oneof}"'); ${g} = ${q};`;
  }
  let present: string;
  if (f.repeated) {
    const element = valueCode(f, 'v[i]', 'i', index);
    present = `if (!Array.isArray(v)) h.fail(${q}, 'must be an array'); P.push(${q}); n = v.length; a = new Array(n);` +
      ` for (i = 0; i < n; i++) a[i] = ${element}; P.pop(); out.${name} = a;`;
  } else {
    present = `out.${name} = ${valueCode(f, 'v', q, index)};`;
  }
  return `v = src.${name}; if (v === undefined || v === null) { ${absent} } else { ${oneof} ${present} }`;
}

/** The expression normalizing JSON value `v` of field `f`; `at` names it in errors (a field name or an index). */
function valueCode(f: FieldPlan, v: string, at: string, index: ReadonlyMap<MessagePlan, number>): string {
  switch (f.kind) {
    case 'message': {
      const fn = `N${index.get(f.message as MessagePlan)}`;
      return `((typeof ${v} !== 'object' || ${v} === null || Array.isArray(${v})) ? h.fail(${at}, 'must be an object') : (P.push(${at}), r = ${fn}(${v}), P.pop(), r))`;
    }
    case 'string':
      return `(typeof ${v} === 'string' ? ${v} : h.fail(${at}, 'must be a string'))`;
    case 'bool':
      return `(typeof ${v} === 'boolean' ? ${v} : h.fail(${at}, 'must be true or false'))`;
    case 'double':
      return `h.double(${v}, ${at})`;
    case 'int32':
      return `h.int32(${v}, ${at})`;
    case 'int64':
      return `h.int64(${v}, ${at})`;
    case 'uint64':
      return `h.uint64(${v}, ${at})`;
    case 'enum':
      return `h.enumOf(${v}, ${at}, ${JSON.stringify(f.enumPath)})`;
    case 'bytes':
      return `h.bytes(${v}, ${at})`;
    case 'id':
      return `h.id(${v}, ${at})`;
    default:
      return `h.fail(${at}, 'has an unsupported type')`;
  }
}
