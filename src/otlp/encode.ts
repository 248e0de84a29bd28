import { type FieldPlan, KIND_DEFAULTS, type MessagePlan, requestPlan, responsePlan } from './field-plan.js';
import { encodeProtobuf } from './protobuf-encoder.js';
import { doubleToJson } from './scalars.js';
import type { OtlpSignal } from './signals.js';
import type { OtlpFormat, OtlpPartialSuccess, OtlpRequestMap } from './types.js';

type Plain = Record<string, unknown>;

/** The `rejected_<signal>` field of each signal's partial-success message. */
const REJECTED_FIELDS: Readonly<Record<OtlpSignal, string>> = {
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
  traces: 'rejectedSpans',
};

const EMPTY = new Uint8Array(0);
const EMPTY_JSON = new TextEncoder().encode('{}');
const utf8 = new TextEncoder();

/**
 * Encodes a request in the normalized shape (what `decodeRequest` returns, possibly edited)
 * as an OTLP/HTTP body. Faithful: `decodeRequest(encodeRequest(x))` deep-equals `x`.
 * Default-valued fields are left out, as protobuf itself does, to keep bodies small.
 */
export function encodeRequest<S extends OtlpSignal>(
  signal: S,
  request: OtlpRequestMap[S],
  format: OtlpFormat,
): Uint8Array {
  return encodeMessage(signal, 'request', request as unknown as Plain, format);
}

/**
 * The `Export…ServiceResponse` body a receiver answers 200 with. Nothing rejected and no
 * message gives the empty message (`{}` in JSON, zero bytes in protobuf).
 */
export function encodeResponse(
  signal: OtlpSignal,
  partial: OtlpPartialSuccess | undefined,
  format: OtlpFormat,
): Uint8Array {
  const response: Plain = {};
  if (partial && (partial.rejected > 0 || partial.errorMessage)) {
    response.partialSuccess = {
      [REJECTED_FIELDS[signal]]: String(Math.max(0, Math.trunc(partial.rejected))),
      errorMessage: partial.errorMessage ?? '',
    };
  }
  // Full success is the common answer and always the same bytes: an empty message.
  if (!response.partialSuccess) return format === 'protobuf' ? EMPTY : EMPTY_JSON;
  return encodeMessage(signal, 'response', response, format);
}

function encodeMessage(signal: OtlpSignal, kind: 'request' | 'response', message: Plain, format: OtlpFormat): Uint8Array {
  const plan = kind === 'request' ? requestPlan(signal) : responsePlan(signal);
  return format === 'json' ? utf8.encode(JSON.stringify(toJson(plan, message))) : encodeProtobuf(plan, message);
}

/** What JSON.stringify should see for a normalized message: default-valued fields left out, doubles as OTLP/JSON spells them. */
function toJson(plan: MessagePlan, src: Plain): Plain {
  const out: Plain = {};
  for (const f of plan.fields) {
    const v = src[f.name];
    if (v === undefined || v === null) continue;
    if (f.repeated) {
      if (!Array.isArray(v) || v.length === 0) continue;
      out[f.name] = v.map((item: unknown) => jsonValue(f, item));
    } else if (f.presence || f.kind === 'message' || !isDefault(f, v)) {
      out[f.name] = jsonValue(f, v);
    }
  }
  return out;
}

function jsonValue(f: FieldPlan, v: unknown): unknown {
  if (f.kind === 'message') return toJson(f.message as MessagePlan, v as Plain);
  if (f.kind === 'int64' || f.kind === 'uint64') return String(v);
  if (f.kind === 'double') return doubleToJson(v as number);
  return v;
}

function isDefault(f: FieldPlan, v: unknown): boolean {
  // Object.is keeps -0, which protobuf does preserve for doubles.
  return Object.is(v, KIND_DEFAULTS[f.kind as keyof typeof KIND_DEFAULTS]);
}
