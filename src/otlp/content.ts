import { gunzipSync } from 'node:zlib';
import { OtlpDecodeError } from './errors.js';
import type { OtlpFormat } from './types.js';

/** Largest decompressed body accepted by default (the Collector's default limit is 20 MiB). */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

const MEDIA_TYPES: Readonly<Record<string, OtlpFormat>> = {
  'application/x-protobuf': 'protobuf',
  // Not in the spec, but some clients send it and it is unambiguous.
  'application/protobuf': 'protobuf',
  'application/json': 'json',
};

/** The Content-Type header value to send for a format. */
export const CONTENT_TYPES: Readonly<Record<OtlpFormat, string>> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** The OTLP body format named by a Content-Type header (parameters such as charset ignored), or undefined. */
export function formatForContentType(contentType: string | undefined): OtlpFormat | undefined {
  if (!contentType) return undefined;
  const semi = contentType.indexOf(';');
  const media = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return MEDIA_TYPES[media];
}

const ENCODINGS = new Set(['', 'identity', 'gzip', 'x-gzip']);

/** Why a request's Content-Encoding is refused with 415, or undefined when it is none or gzip. */
export function encodingProblem(contentEncoding: string | undefined): string | undefined {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  return ENCODINGS.has(encoding) ? undefined : `unsupported Content-Encoding "${printable(encoding)}" (use gzip or none)`;
}

/**
 * The body with its Content-Encoding removed, never larger than `maxBytes`.
 * Inflation stops as soon as the output passes the limit, so a gzip bomb costs at most
 * `maxBytes` of memory and the time to produce them.
 */
export function decodeContentEncoding(
  body: Uint8Array,
  contentEncoding: string | undefined,
  maxBytes: number,
): Uint8Array {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') {
    if (body.byteLength > maxBytes) throw tooLarge(maxBytes);
    return body;
  }
  const problem = encodingProblem(encoding);
  if (problem) throw new OtlpDecodeError(415, problem);
  try {
    return gunzipSync(body, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
    throw new OtlpDecodeError(400, 'body is not valid gzip', { cause: err });
  }
}

function tooLarge(maxBytes: number): OtlpDecodeError {
  return new OtlpDecodeError(413, `body is larger than ${maxBytes} bytes once decompressed`);
}

/** Why a request's Content-Type is refused with 415 (it names neither OTLP encoding). */
export function contentTypeProblem(contentType: string | undefined): string {
  return contentType
    ? `unsupported Content-Type "${printable(contentType)}" (use application/x-protobuf or application/json)`
    : 'missing Content-Type (use application/x-protobuf or application/json)';
}

/** A header value cut short and stripped of control characters, so it can go into a reason. */
export function printable(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 64);
}
