import type { OtlpFormat } from './types.js';

/** `google.rpc.Code` of each status optel's receivers (dev server, gateway) answer with. */
const RPC_CODES: Readonly<Record<number, number>> = {
  400: 3, // INVALID_ARGUMENT
  403: 7, // PERMISSION_DENIED
  408: 4, // DEADLINE_EXCEEDED
  404: 5, // NOT_FOUND
  405: 12, // UNIMPLEMENTED
  413: 8, // RESOURCE_EXHAUSTED
  415: 3, // INVALID_ARGUMENT
  429: 8, // RESOURCE_EXHAUSTED
  500: 13, // INTERNAL
  502: 14, // UNAVAILABLE
  503: 14, // UNAVAILABLE
};

/** An error body and its Content-Type. */
export interface StatusBody {
  body: Uint8Array;
  contentType: string;
}

const utf8 = new TextEncoder();

/**
 * The body of a 4xx/5xx answer. OTLP/HTTP says it is a `google.rpc.Status` in the request's
 * encoding, with a developer-facing message. When the format is unknown (wrong method or
 * content type) the JSON form is used: it reads well in curl too.
 */
export function statusBody(status: number, message: string, format: OtlpFormat | undefined): StatusBody {
  const code = RPC_CODES[status] ?? 2; // UNKNOWN
  if (format === 'protobuf') {
    // Status { int32 code = 1; string message = 2; }: two fields, encoded by hand so no schema is needed.
    const text = utf8.encode(message);
    const bytes = [0x08, ...varint(code), 0x12, ...varint(text.byteLength)];
    const out = new Uint8Array(bytes.length + text.byteLength);
    out.set(bytes, 0);
    out.set(text, bytes.length);
    return { body: out, contentType: 'application/x-protobuf' };
  }
  return { body: utf8.encode(JSON.stringify({ code, message })), contentType: 'application/json' };
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}
