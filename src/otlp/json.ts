import { OtlpDecodeError, tooManyMessages } from './errors.js';
import { allMessagePlans, type FieldPlan, type MessagePlan } from './field-plan.js';
import { OTLP_ENUMS } from './schema.js';
import { wireFields } from './protobuf-fields.js';
import { fromBase64, fromIdString, isRoundedJsonInteger, jsonToDecimal, jsonToDouble, toBase64, toHex } from './scalars.js';

type Source = Record<string, unknown>;
type Normalize = (src: Source, depth: number) => Source;

/** What the generated functions call: scalar conversions, the depth limit and the error path. */
interface JsonHelpers {
  readonly path: (string | number)[];
  maxDepth: number;
  /** Messages the walk may still produce (see `maxMessages`). */
  left: number;
  maxMessages: number;
  tooMany(): never;
  fail(field: string | number, problem: string): never;
  tooDeep(): never;
  double(v: unknown, field: string | number): number;
  int64(v: unknown, field: string | number): string;
  uint64(v: unknown, field: string | number): string;
  int32(v: unknown, field: string | number): number;
  uint32(v: unknown, field: string | number): number;
  enumOf(v: unknown, field: string | number, enumPath: string): number;
  bytes(v: unknown, field: string | number): string;
  id(v: unknown, field: string | number): string;
}

/** Thrown by the fast variant on any problem: the traced variant then finds where, for the 400. */
const RETRY = Symbol('retry with the path traced');

/**
 * The normalized (canonical OTLP/JSON) form of a parsed OTLP/JSON message, as the protobuf decoder
 * gives for protobuf: defaults filled, 64-bit integers as decimal strings, ids as lowercase hex, enums as
 * numbers; unknown keys ignored, as the OTLP spec requires. Anything else is a 400 that names the
 * offending path, or says the walk went deeper than `maxDepth` JSON levels (objects and arrays); a
 * 413 when it would produce more than `maxMessages` messages.
 *
 * JSON is the slowest input a gateway meets, so one function per message type is generated from
 * the schema table, once, in two variants: a fast one that keeps no path and bails out at the
 * first problem, and a traced one, run only then, that names where. The depth is counted on this
 * walk rather than by scanning the text first: `JSON.parse` is iterative in V8 whatever the
 * nesting, and a key this walk does not know is never descended into.
 */
export function normalizeJson(plan: MessagePlan, parsed: unknown, maxDepth: number, maxMessages: number): Source {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OtlpDecodeError(400, `JSON body must be an object (an ${plan.name})`);
  }
  fast.maxDepth = traced.maxDepth = maxDepth;
  fast.maxMessages = traced.maxMessages = fast.left = traced.left = maxMessages;
  try {
    return variant(fast).get(plan)!(parsed as Source, 1);
  } catch (err) {
    if (err !== RETRY) throw err;
  }
  traced.path.length = 0;
  variant(traced).get(plan)!(parsed as Source, 1);
  // Unreachable while both variants come from one generator; a 400 rather than a crash if not.
  throw new OtlpDecodeError(400, `JSON body is not a valid ${plan.name}`);
}

const traced: JsonHelpers = {
  path: [],
  maxDepth: 0,
  fail(field, problem) {
    let where = '';
    for (const part of [...this.path, field]) where += typeof part === 'number' ? `[${part}]` : where ? `.${part}` : part;
    throw new OtlpDecodeError(400, `${where} ${problem}`);
  },
  tooDeep() {
    throw new OtlpDecodeError(400, `JSON nests deeper than ${this.maxDepth} levels`);
  },
  left: 0,
  maxMessages: 0,
  tooMany() {
    throw tooManyMessages(this.maxMessages);
  },
  double(v, field) {
    return typeof v === 'number' ? v : (jsonToDouble(v) ?? this.fail(field, 'must be a number'));
  },
  int64(v, field) {
    return jsonToDecimal(v, true) ?? this.fail(field, int64Problem(v, 'an int64'));
  },
  uint64(v, field) {
    return jsonToDecimal(v, false) ?? this.fail(field, int64Problem(v, 'an uint64'));
  },
  int32(v, field) {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n === 'number' && Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31) return n;
    return this.fail(field, 'must be a 32-bit integer');
  },
  uint32(v, field) {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < 2 ** 32) return n;
    return this.fail(field, 'must be an unsigned 32-bit integer');
  },
  enumOf(v, field, enumPath) {
    // Enums are int32 on the wire: a larger number is no value of any enum.
    if (typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) return v;
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

/** Why a JSON value is not the 64-bit integer `type` asked for. */
function int64Problem(v: unknown, type: string): string {
  return isRoundedJsonInteger(v) ? 'is a number beyond 2^53 (64-bit integer values beyond 2^53 must be JSON strings)' : `must be ${type} (number or decimal string)`;
}

const fast: JsonHelpers = {
  ...traced,
  path: [],
  fail() {
    throw RETRY;
  },
};

const enums = new Map<string, ReadonlyMap<string, number>>();

/**
 * An enum's values by name (OTLP/JSON senders write enums as numbers; names are a liberty some
 * take). A Map, so no name reaches inherited keys.
 */
function enumValues(path: string): ReadonlyMap<string, number> {
  let values = enums.get(path);
  if (!values) {
    const names = OTLP_ENUMS[path];
    if (!names) throw new Error(`otlp: no enum ${path}`);
    values = new Map(names.map((name, value) => [name, value]));
    enums.set(path, values);
  }
  return values;
}

const compiled = new Map<JsonHelpers, ReadonlyMap<MessagePlan, Normalize>>();

function variant(h: JsonHelpers): ReadonlyMap<MessagePlan, Normalize> {
  let fns = compiled.get(h);
  if (!fns) compiled.set(h, (fns = compile(h, h === traced)));
  return fns;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9]*$/;

function compile(h: JsonHelpers, trace: boolean): ReadonlyMap<MessagePlan, Normalize> {
  const plans = allMessagePlans();
  const index = new Map(plans.map((plan, i) => [plan, i]));
  // The schema's int32 kind covers four wire types; JSON values are held to the field's own range.
  const unsigned = new Set(plans.flatMap((plan) => wireFields(plan).filter((w) => w.type === 'uint32' || w.type === 'fixed32').map((w) => w.plan)));
  const source: string[] = [];
  for (const [i, plan] of plans.entries()) {
    const oneofs = [...new Set(plan.fields.map((f) => f.oneof).filter((g) => g !== undefined))];
    source.push(`function N${i}(src, d) {`, 'if (d > h.maxDepth) h.tooDeep();', 'if (--h.left < 0) h.tooMany();', 'var out = {}, v, a, r, i, n, P = h.path;');
    for (const group of oneofs) source.push(`var taken_${group} = '';`);
    for (const f of plan.fields) source.push(fieldCode(f, index, trace, unsigned.has(f)));
    source.push('return out; }');
  }
  source.push(`return [${plans.map((_, i) => `N${i}`).join(', ')}];`);
  const fns = new Function('h', source.join('\n'))(h) as Normalize[];
  return new Map(plans.map((plan, i) => [plan, fns[i] as Normalize]));
}

function fieldCode(f: FieldPlan, index: ReadonlyMap<MessagePlan, number>, trace: boolean, unsigned: boolean): string {
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
    // An array is a JSON level of its own, so its elements sit two below this message.
    const element = valueCode(f, 'v[i]', 'i', 'd + 2', index, trace, unsigned);
    present = `if (!Array.isArray(v)) h.fail(${q}, 'must be an array'); ${trace ? `P.push(${q});` : ''} n = v.length; a = new Array(n);` +
      ` for (i = 0; i < n; i++) a[i] = ${element}; ${trace ? 'P.pop();' : ''} out.${name} = a;`;
  } else {
    present = `out.${name} = ${valueCode(f, 'v', q, 'd + 1', index, trace, unsigned)};`;
  }
  return `v = src.${name}; if (v === undefined || v === null) { ${absent} } else { ${oneof} ${present} }`;
}

/** The expression normalizing JSON value `v` of field `f`; `at` names it in errors (a field name or an index). */
function valueCode(f: FieldPlan, v: string, at: string, depth: string, index: ReadonlyMap<MessagePlan, number>, trace: boolean, unsigned: boolean): string {
  switch (f.kind) {
    case 'message': {
      const call = `N${index.get(f.message as MessagePlan)}(${v}, ${depth})`;
      const walk = trace ? `(P.push(${at}), r = ${call}, P.pop(), r)` : call;
      return `((typeof ${v} !== 'object' || ${v} === null || Array.isArray(${v})) ? h.fail(${at}, 'must be an object') : ${walk})`;
    }
    case 'string':
      return `(typeof ${v} === 'string' ? ${v} : h.fail(${at}, 'must be a string'))`;
    case 'bool':
      return `(typeof ${v} === 'boolean' ? ${v} : h.fail(${at}, 'must be true or false'))`;
    case 'double':
      return `(typeof ${v} === 'number' ? ${v} : h.double(${v}, ${at}))`;
    case 'int32':
      return `h.${unsigned ? 'uint32' : 'int32'}(${v}, ${at})`;
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
