import { KIND_DEFAULTS, type FieldPlan, type MessagePlan, requestPlan } from '../../src/otlp/field-plan.js';
import { otlpProto } from './proto-root.js';
import { fromBase64, fromIdString } from '../../src/otlp/scalars.js';
import type { OtlpSignal } from '../../src/otlp/signals.js';
import type { OtlpRequestMap } from '../../src/otlp/types.js';

// OpenTelemetry's own generated protobufjs code (opentelemetry-proto, as @opentelemetry/otlp-transformer
// publishes it), used as the reference optel's codec is held to.

type Plain = Record<string, unknown>;

const generated = (signal: OtlpSignal) => otlpProto().requests[signal];

/** A normalized request, written by the generated encoder (fed the shape it wants: Long bits, byte arrays). */
export function officialEncode<S extends OtlpSignal>(signal: S, request: OtlpRequestMap[S]): Uint8Array {
  return generated(signal).encode(forProtobufjs(requestPlan(signal), request as unknown as Plain)).finish();
}

/**
 * A protobuf request as the generated decoder reads it, in the normalized shape: its `toObject`,
 * told to write 64-bit values as strings and bytes as base64, is an independent reading of the
 * bytes (it knows each field's real protobuf type); ids are turned to hex and unset fields dropped.
 */
export function officialDecode<S extends OtlpSignal>(signal: S, body: Uint8Array): OtlpRequestMap[S] {
  const cls = generated(signal);
  const object = cls.toObject(cls.decode(Buffer.from(body.buffer, body.byteOffset, body.byteLength)), {
    longs: String,
    enums: Number,
    bytes: String,
    defaults: true,
    arrays: true,
  });
  return fromProtobufjs(requestPlan(signal), object) as unknown as OtlpRequestMap[S];
}

function fromProtobufjs(plan: MessagePlan, src: Plain): Plain {
  const out: Plain = {};
  for (const f of plan.fields) {
    const v = src[f.name];
    if (v === undefined || v === null) continue;
    const one = (item: unknown) =>
      f.kind === 'message' ? fromProtobufjs(f.message as MessagePlan, item as Plain) : f.kind === 'id' ? Buffer.from(String(item), 'base64').toString('hex') : item;
    out[f.name] = f.repeated ? (v as unknown[]).map(one) : one(v);
  }
  return out;
}

function forProtobufjs(plan: MessagePlan, src: Plain): Plain {
  const out: Plain = {};
  for (const f of plan.fields) {
    const v = src[f.name];
    if (v === undefined || v === null) continue;
    if (f.repeated) {
      if (Array.isArray(v) && v.length > 0) out[f.name] = v.map((item: unknown) => protobufjsValue(f, item));
    } else if (f.presence || f.kind === 'message' || !Object.is(v, KIND_DEFAULTS[f.kind as keyof typeof KIND_DEFAULTS])) {
      out[f.name] = protobufjsValue(f, v);
    }
  }
  return out;
}

function protobufjsValue(f: FieldPlan, v: unknown): unknown {
  switch (f.kind) {
    case 'message':
      return forProtobufjs(f.message as MessagePlan, v as Plain);
    case 'int64':
    case 'uint64': {
      const bits = BigInt.asUintN(64, BigInt(v as string));
      return { low: Number(bits & 0xffffffffn) | 0, high: Number(bits >> 32n) | 0 };
    }
    case 'bytes':
      return fromBase64(String(v));
    case 'id':
      return fromIdString(String(v));
    default:
      return v;
  }
}
