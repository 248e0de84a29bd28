import { contentTypeProblem, DEFAULT_MAX_BYTES, decodeContentEncoding, formatForContentType } from './content.js';
import { OtlpDecodeError } from './errors.js';
import { requestPlan, responsePlan } from './field-plan.js';
import { normalizeJson } from './json.js';
import { decodeProtobuf, type DecodedMessage } from './protobuf-decoder.js';
import type { OtlpSignal } from './signals.js';
import type { OtlpFormat, OtlpRequestMap } from './types.js';

export { OtlpDecodeError } from './errors.js';
export type { OtlpDecodeStatus } from './errors.js';

/** How a body arrived, and how much of it optel is willing to look at. */
export interface DecodeOptions {
  /** The Content-Type header: `application/x-protobuf` or `application/json` (parameters ignored). */
  contentType?: string;
  /** The Content-Encoding header: `gzip`, `identity` or absent. */
  contentEncoding?: string;
  /** Largest body accepted after decompression (default 16 MiB); more is a 413. */
  maxBytes?: number;
  /** Deepest JSON object/array nesting of the OTLP structure accepted (default 64); more is a 400. */
  maxDepth?: number;
  /** Most OTLP messages (points, attributes, values…) one body may decode into (default 1,000,000); more is a 413. */
  maxMessages?: number;
}

/** JSON nesting accepted by default: real OTLP needs about 10 levels plus 3 per nested AnyValue. */
export const DEFAULT_MAX_DEPTH = 64;

/**
 * Messages one body may decode into by default. A full Collector batch (8,192 items of a dozen
 * attributes) is about 200,000; an empty message takes two bytes of protobuf yet becomes an object
 * of a dozen fields, so without a bound a 4 MiB body could cost a third of a gigabyte of heap.
 */
export const DEFAULT_MAX_MESSAGES = 1_000_000;

/** The part of a partial-success response optel reads back (the OTLP/JSON shape). */
export interface OtlpExportResponse {
  partialSuccess?: {
    rejectedDataPoints?: string;
    rejectedLogRecords?: string;
    rejectedSpans?: string;
    errorMessage: string;
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes an OTLP/HTTP export request body into the normalized OTLP/JSON shape (see
 * `types.ts`), the same for protobuf and JSON input. Throws `OtlpDecodeError` with the HTTP
 * status to answer: 415 for an unsupported content type or encoding, 413 when the
 * decompressed body passes `maxBytes`, 400 for anything malformed.
 */
export function decodeRequest<S extends OtlpSignal>(
  signal: S,
  body: Uint8Array,
  opts: DecodeOptions = {},
): OtlpRequestMap[S] {
  return decodeSizedRequest(signal, body, opts).request;
}

/** What `decodeSizedRequest` returns. */
export interface SizedRequest<S extends OtlpSignal> {
  readonly request: OtlpRequestMap[S];
  /** Bytes the body had once decompressed (what a server's memory bound counts). */
  readonly bytes: number;
  /**
   * The decompressed body, when it is protobuf that holds exactly what `request` shows (see
   * `DecodedMessage.exact`): forwarding it is forwarding `request`, without encoding it again.
   */
  readonly exactBody?: Uint8Array;
}

/** `decodeRequest`, also saying how large the body was and whether it is exactly the request. */
export function decodeSizedRequest<S extends OtlpSignal>(signal: S, body: Uint8Array, opts: DecodeOptions = {}): SizedRequest<S> {
  const format = requireFormat(opts.contentType);
  const bytes = decodeContentEncoding(body, opts.contentEncoding, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  const { message, exact } = decodeMessage(signal, 'request', bytes, format, opts);
  const request = message as unknown as OtlpRequestMap[S];
  return exact ? { request, bytes: bytes.byteLength, exactBody: bytes } : { request, bytes: bytes.byteLength };
}

/**
 * Decodes an `Export…ServiceResponse` body (what a collector answers), e.g. to read its
 * partial success. An empty body is a plain success.
 */
export function decodeResponse(signal: OtlpSignal, body: Uint8Array, format: OtlpFormat): OtlpExportResponse {
  if (body.byteLength === 0) return {};
  return decodeMessage(signal, 'response', body, format, {}).message as OtlpExportResponse;
}

/** The body format named by a Content-Type header; anything else is a 415. */
function requireFormat(contentType: string | undefined): OtlpFormat {
  const format = formatForContentType(contentType);
  if (format) return format;
  throw new OtlpDecodeError(415, contentTypeProblem(contentType));
}

function decodeMessage(
  signal: OtlpSignal,
  kind: 'request' | 'response',
  bytes: Uint8Array,
  format: OtlpFormat,
  limits: Pick<DecodeOptions, 'maxDepth' | 'maxMessages'>,
): DecodedMessage {
  const plan = kind === 'request' ? requestPlan(signal) : responsePlan(signal);
  const maxMessages = limits.maxMessages ?? DEFAULT_MAX_MESSAGES;
  if (format === 'protobuf') {
    try {
      return decodeProtobuf(plan, bytes, maxMessages);
    } catch (err) {
      if (err instanceof OtlpDecodeError) throw err;
      throw new OtlpDecodeError(400, `body is not a valid protobuf ${plan.name}`, { cause: err });
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(bytes));
  } catch (err) {
    throw new OtlpDecodeError(400, 'body is not valid UTF-8 JSON', { cause: err });
  }
  try {
    // JSON is never exact: it is not what goes upstream, and readers differ on duplicate keys.
    return { message: normalizeJson(plan, parsed, limits.maxDepth ?? DEFAULT_MAX_DEPTH, maxMessages), exact: false };
  } catch (err) {
    // Only a caller's huge maxDepth lets the walk reach the stack's end; still the body's fault.
    if (err instanceof RangeError) throw new OtlpDecodeError(400, 'JSON nests too deep to decode', { cause: err });
    throw err;
  }
}
