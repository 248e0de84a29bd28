import { isUtf8 } from 'node:buffer';
import { decodeContentEncoding } from '../otlp/content.js';
import { decodeRequest, DEFAULT_MAX_DEPTH, requireFormat } from '../otlp/decode.js';
import { OtlpDecodeError } from '../otlp/errors.js';
import { jsonNestingExceeds } from '../otlp/json-depth.js';
import type { OtlpSignal } from '../otlp/signals.js';
import type { OtlpRequestMap } from '../otlp/types.js';
import { normalizeJsonRequest } from './json-normalizer.js';

/** How a body arrived and how much of it the gateway accepts (see `DecodeOptions` of `otlp/decode`). */
export interface BodyOptions {
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  readonly maxBytes: number;
  readonly maxDepth?: number;
}

/** A decoded body and its size once decompressed (what the forwarder's memory bound counts). */
export interface DecodedBody<S extends OtlpSignal> {
  readonly request: OtlpRequestMap[S];
  readonly bytes: number;
}

/**
 * `decodeRequest`, with the gateway's faster JSON path: the same checks in the same order (content
 * type, encoding, size, nesting, UTF-8, syntax, shape) and the same `OtlpDecodeError`s, so what
 * the gateway accepts is exactly what the codec accepts. Protobuf goes through `decodeRequest`.
 */
export function decodeBody<S extends OtlpSignal>(signal: S, body: Uint8Array, options: BodyOptions): DecodedBody<S> {
  const format = requireFormat(options.contentType);
  const plain = decodeContentEncoding(body, options.contentEncoding, options.maxBytes);
  if (format === 'protobuf') {
    return { request: decodeRequest(signal, plain, { contentType: options.contentType, maxBytes: options.maxBytes }), bytes: plain.byteLength };
  }
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (jsonNestingExceeds(plain, maxDepth)) throw new OtlpDecodeError(400, `JSON nests deeper than ${maxDepth} levels`);
  const buf = Buffer.isBuffer(plain) ? plain : Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
  if (!isUtf8(buf)) throw new OtlpDecodeError(400, 'body is not valid UTF-8 JSON');
  // TextDecoder (what decodeRequest uses) drops a leading byte-order mark; so does this.
  const start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString('utf8', start));
  } catch (err) {
    throw new OtlpDecodeError(400, 'body is not valid UTF-8 JSON', { cause: err });
  }
  return { request: normalizeJsonRequest(signal, parsed), bytes: plain.byteLength };
}

