import { OtlpDecodeError } from './errors.js';
import type { FieldPlan, MessagePlan } from './field-plan.js';
import { otlpProto } from './proto-root.js';
import { fromBase64, fromIdString, jsonToDecimal, jsonToDouble, toBase64, toHex } from './scalars.js';
import { wireNormalizer } from './wire.js';

type Source = Record<string, unknown>;

/** Where a value came from: a message decoded by the generated protobuf code, or `JSON.parse` output. */
export type SourceKind = 'wire' | 'json';

/**
 * The normalized (canonical OTLP/JSON) form of one message. Both sources come out identical:
 * protobuf through the per-message functions of `wire.ts`, JSON through the walk below.
 * JSON input is validated along the way (a 400 names the offending path); unknown JSON keys are
 * ignored, as the OTLP spec requires.
 */
export function normalizeMessage(plan: MessagePlan, source: unknown, from: SourceKind): Source {
  if (from === 'wire') return wireNormalizer(plan)(source as Source, 0);
  if (!isObject(source)) throw new OtlpDecodeError(400, `JSON body must be an object (an ${plan.name})`);
  return fromJson(plan, source, []);
}

function fromJson(plan: MessagePlan, src: Source, path: (string | number)[]): Source {
  const out: Source = {};
  let taken: Map<string, string> | undefined;
  for (const f of plan.fields) {
    // Own keys only, so inherited names (e.g. "constructor") are never read.
    const v = Object.hasOwn(src, f.name) ? src[f.name] : undefined;
    if (v === undefined || v === null) {
      if (f.repeated) out[f.name] = [];
      else if (f.fill !== undefined) out[f.name] = f.fill;
      continue;
    }
    path.push(f.name);
    if (f.oneof) {
      taken ??= new Map();
      const other = taken.get(f.oneof);
      if (other) fail(path, `is set together with "${other}" but both belong to oneof "${f.oneof}"`);
      taken.set(f.oneof, f.name);
    }
    if (f.repeated) {
      if (!Array.isArray(v)) fail(path, 'must be an array');
      const list = v as unknown[];
      const values = new Array<unknown>(list.length);
      for (let i = 0; i < list.length; i++) {
        path.push(i);
        values[i] = jsonValue(f, list[i], path);
        path.pop();
      }
      out[f.name] = values;
    } else {
      out[f.name] = jsonValue(f, v, path);
    }
    path.pop();
  }
  return out;
}

function jsonValue(f: FieldPlan, v: unknown, path: (string | number)[]): unknown {
  if (f.kind === 'message') {
    if (!isObject(v)) fail(path, 'must be an object');
    return fromJson(f.message as MessagePlan, v, path);
  }
  return jsonScalar(f, v, path);
}

function jsonScalar(f: FieldPlan, v: unknown, path: (string | number)[]): unknown {
  switch (f.kind) {
    case 'string':
      if (typeof v === 'string') return v;
      return fail(path, 'must be a string');
    case 'bool':
      if (typeof v === 'boolean') return v;
      return fail(path, 'must be true or false');
    case 'double': {
      const n = jsonToDouble(v);
      return n ?? fail(path, 'must be a number');
    }
    case 'int32': {
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n === 'number' && Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 32) return n;
      return fail(path, 'must be a 32-bit integer');
    }
    case 'int64':
    case 'uint64':
      return jsonToDecimal(v, f.kind === 'int64') ?? fail(path, `must be an ${f.kind} (number or decimal string)`);
    case 'enum': {
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      const byName = typeof v === 'string' ? enumValues(f.enumPath as string).get(v) : undefined;
      return byName ?? fail(path, 'must be an enum number or name');
    }
    case 'bytes': {
      const bytes = typeof v === 'string' ? fromBase64(v) : undefined;
      return bytes ? toBase64(bytes) : fail(path, 'must be base64');
    }
    case 'id': {
      const bytes = typeof v === 'string' ? fromIdString(v) : undefined;
      return bytes ? toHex(bytes) : fail(path, 'must be a hex id');
    }
    default:
      return fail(path, 'has an unsupported type');
  }
}

const enums = new Map<string, ReadonlyMap<string, number>>();

/**
 * An enum's values by name, from the generated module (loaded only now: OTLP/JSON senders write
 * enums as numbers, names are a liberty some take). A Map, so no name reaches inherited keys.
 */
export function enumValues(path: string): ReadonlyMap<string, number> {
  let values = enums.get(path);
  if (!values) {
    const generated = otlpProto().lookup(path);
    if (typeof generated !== 'object' || generated === null) throw new Error(`otlp: no enum ${path}`);
    values = new Map(Object.entries(generated).filter((e): e is [string, number] => typeof e[1] === 'number'));
    enums.set(path, values);
  }
  return values;
}

function isObject(v: unknown): v is Source {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(path: readonly (string | number)[], problem: string): never {
  let where = '';
  for (const part of path) where += typeof part === 'number' ? `[${part}]` : where ? `.${part}` : part;
  throw new OtlpDecodeError(400, `${where} ${problem}`);
}
