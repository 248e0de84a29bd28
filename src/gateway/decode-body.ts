import { decodeContentEncoding } from '../otlp/content.js';
import { decodeRequest, DEFAULT_MAX_DEPTH } from '../otlp/decode.js';
import type { OtlpSignal } from '../otlp/signals.js';
import type { OtlpRequestMap } from '../otlp/types.js';

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

/** `decodeRequest`, keeping the decompressed size: the codec's checks, statuses and reasons, unchanged. */
export function decodeBody<S extends OtlpSignal>(signal: S, body: Uint8Array, options: BodyOptions): DecodedBody<S> {
  const plain = decodeContentEncoding(body, options.contentEncoding, options.maxBytes);
  const request = decodeRequest(signal, plain, {
    contentType: options.contentType, maxBytes: options.maxBytes, maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
  });
  return { request, bytes: plain.byteLength };
}
