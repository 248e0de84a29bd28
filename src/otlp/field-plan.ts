import { OTLP_MESSAGES, SERVICE_MESSAGES } from './schema.js';
import type { OtlpSignal } from './signals.js';

/** How a field's values are represented in the normalized (OTLP/JSON) shape. */
export type FieldKind =
  | 'message'
  | 'enum'
  | 'string'
  | 'bool'
  /** float/double: a JS number (NaN and ±Infinity allowed). */
  | 'double'
  /** Any 32-bit integer type: a JS number. */
  | 'int32'
  /** Signed 64-bit: a decimal string. */
  | 'int64'
  /** Unsigned 64-bit: a decimal string. */
  | 'uint64'
  /** bytes: base64. */
  | 'bytes'
  /** trace/span id bytes: lowercase hex, as OTLP/JSON requires. */
  | 'id';

/** What the codec needs to know about one message type. */
export interface MessagePlan {
  /** The path under `opentelemetry.proto`, e.g. `metrics.v1.HistogramDataPoint`. */
  readonly path: string;
  /** The message name, e.g. `HistogramDataPoint`. */
  readonly name: string;
  /** In declaration order. */
  readonly fields: readonly FieldPlan[];
}

/** What the codec needs to know about one field. */
export interface FieldPlan {
  /** lowerCamelCase, as in OTLP/JSON and in the generated protobuf classes. */
  readonly name: string;
  readonly kind: FieldKind;
  readonly repeated: boolean;
  /** Oneof members and proto3 `optional` fields: present only when sent, never defaulted. */
  readonly presence: boolean;
  /** The oneof group, when it has several members (a proto3 `optional` is a group of one). */
  readonly oneof?: string;
  /** A bit of its own for each multi-member oneof group of the message (0 when none). */
  readonly oneofBit: number;
  /** The default filled in when a singular non-presence field is absent (undefined: none). */
  readonly fill: unknown;
  readonly message?: MessagePlan;
  /** The enum's path under `opentelemetry.proto`, to look names up in JSON input. */
  readonly enumPath?: string;
}

/** The default value of a non-message field kind in the normalized shape. */
export const KIND_DEFAULTS: Readonly<Record<Exclude<FieldKind, 'message'>, unknown>> = {
  enum: 0,
  string: '',
  bool: false,
  double: 0,
  int32: 0,
  int64: '0',
  uint64: '0',
  bytes: '',
  id: '',
};

const SCALARS = new Set<string>(Object.keys(KIND_DEFAULTS));

interface Plans {
  readonly byPath: ReadonlyMap<string, MessagePlan>;
  readonly requests: Readonly<Record<OtlpSignal, MessagePlan>>;
  readonly responses: Readonly<Record<OtlpSignal, MessagePlan>>;
}

let plans: Plans | undefined;

/** The plan of every OTLP message, built from `schema.ts` on first use. */
function allPlans(): Plans {
  if (plans) return plans;
  const byPath = new Map<string, { path: string; name: string; fields: FieldPlan[] }>();
  const byName = new Map<string, MessagePlan>();
  for (const path of Object.keys(OTLP_MESSAGES)) {
    const plan = { path, name: path.slice(path.lastIndexOf('.') + 1), fields: [] as FieldPlan[] };
    if (byName.has(plan.name)) throw new Error(`otlp schema: two messages are named ${plan.name}`);
    byPath.set(path, plan);
    byName.set(plan.name, plan);
  }
  for (const [path, specs] of Object.entries(OTLP_MESSAGES)) {
    const plan = byPath.get(path) as { fields: FieldPlan[] };
    const groups = specs.map((spec) => /\boneof:(\S+)/.exec(spec)?.[1]).filter((g) => g !== undefined);
    for (const spec of specs) plan.fields.push(parseField(path, spec, byName, groups));
  }
  const pick = (kind: 'request' | 'response') => {
    const out = {} as Record<OtlpSignal, MessagePlan>;
    for (const signal of Object.keys(SERVICE_MESSAGES) as OtlpSignal[]) {
      out[signal] = byPath.get(SERVICE_MESSAGES[signal][kind]) as MessagePlan;
    }
    return out;
  };
  plans = { byPath, requests: pick('request'), responses: pick('response') };
  return plans;
}

function parseField(
  path: string,
  spec: string,
  byName: ReadonlyMap<string, MessagePlan>,
  groups: readonly string[],
): FieldPlan {
  const [name, type, modifier, ...rest] = spec.split(' ');
  const bad = (why: string) => new Error(`otlp schema: ${path} field "${spec}": ${why}`);
  if (!name || !type || rest.length > 0) throw bad('expected "name type [modifier]"');
  const repeated = modifier === 'repeated';
  const oneof = modifier?.startsWith('oneof:') ? modifier.slice('oneof:'.length) : undefined;
  if (modifier !== undefined && !repeated && modifier !== 'optional' && oneof === undefined) {
    throw bad(`unknown modifier ${modifier}`);
  }
  const presence = modifier === 'optional' || oneof !== undefined;
  // A group of one member can never conflict, so it needs no bookkeeping.
  const shared = oneof !== undefined && groups.filter((g) => g === oneof).length > 1;
  const distinct = [...new Set(groups)];
  const base = {
    name,
    repeated,
    presence,
    ...(shared ? { oneof } : {}),
    oneofBit: shared ? 1 << distinct.indexOf(oneof) : 0,
  };
  if (type.startsWith('enum:')) {
    return { ...base, kind: 'enum', enumPath: type.slice('enum:'.length), fill: fillFor(base, KIND_DEFAULTS.enum) };
  }
  if (SCALARS.has(type)) {
    const kind = type as Exclude<FieldKind, 'message'>;
    return { ...base, kind, fill: fillFor(base, KIND_DEFAULTS[kind]) };
  }
  const message = byName.get(type);
  if (!message) throw bad(`unknown type ${type}`);
  return { ...base, kind: 'message', message, fill: undefined };
}

function fillFor(field: { repeated: boolean; presence: boolean }, value: unknown): unknown {
  return field.repeated || field.presence ? undefined : value;
}

/** Every message plan (the generated normalizers and encoders are built from them). */
export function allMessagePlans(): readonly MessagePlan[] {
  return [...allPlans().byPath.values()];
}

/** The `Export…ServiceRequest` plan of a signal. */
export function requestPlan(signal: OtlpSignal): MessagePlan {
  return allPlans().requests[signal];
}

/** The `Export…ServiceResponse` plan of a signal. */
export function responsePlan(signal: OtlpSignal): MessagePlan {
  return allPlans().responses[signal];
}
