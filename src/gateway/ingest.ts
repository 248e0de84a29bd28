import type { IncomingMessage } from 'node:http';
import { contentTypeProblem, encodingProblem, formatForContentType } from '../otlp/content.js';
import { decodeSizedRequest, DEFAULT_MAX_MESSAGES, OtlpDecodeError } from '../otlp/decode.js';
import { encodeResponse } from '../otlp/encode.js';
import type { OtlpSignal } from '../otlp/signals.js';
import type { OtlpFormat } from '../otlp/types.js';
import type { CatalogIndex } from '../privacy/validator.js';
import { filterRequest, installationsOf } from './filter-request.js';
import type { Forwarder } from './forwarder.js';
import type { RateLimiter } from './rate-limit.js';
import { readBody } from '../http/read-body.js';
import type { ByteBudget } from '../http/byte-budget.js';

/** What the ingest pipeline needs; built once by `startGateway`. */
export interface IngestContext {
  readonly index: CatalogIndex;
  readonly forwarder: Forwarder;
  readonly perInstallation: RateLimiter;
  readonly global: RateLimiter;
  readonly maxBodyBytes: number;
  readonly maxDepth: number;
  readonly bodyTimeoutMs: number;
  /** Shared by all bodies being received at once. */
  readonly bodyBudget: ByteBudget;
  /** Counts what happened to items (for `stats()`). */
  readonly count: (signal: OtlpSignal, accepted: number, rejected: number) => void;
}

/** The answer to one export request. */
export interface IngestAnswer {
  readonly status: number;
  /** The body: an `Export…ServiceResponse` on 200, else the reason (sent as a `google.rpc.Status`). */
  readonly body?: Uint8Array;
  readonly reason?: string;
  readonly format: OtlpFormat | undefined;
  /** Milliseconds, for `Retry-After` (429 and 503). */
  readonly retryAfterMs?: number;
  /** Close the connection after answering (the body was not, or not entirely, read). */
  readonly close?: boolean;
  /** Partial success's message on a 200, for the log. */
  readonly warning?: string;
}

/**
 * One OTLP/HTTP export, start to finish: content type, global rate, bounded body read, decode,
 * per-installation rate, the catalog, then upstream. Never throws for anything a client sends;
 * the order puts the cheapest refusals first, so abuse costs the gateway as little as possible.
 * `beforeReading` runs once the body is going to be read (an `Expect: 100-continue` is granted there,
 * so a request refused on its headers is never asked for its body).
 */
export async function ingest(ctx: IngestContext, signal: OtlpSignal, req: IncomingMessage, beforeReading?: () => void): Promise<IngestAnswer> {
  const contentType = req.headers['content-type'];
  const format = formatForContentType(contentType);
  if (format === undefined) return { status: 415, reason: contentTypeProblem(contentType), format, close: true };
  const encoding = req.headers['content-encoding'];
  const encodingRefused = encodingProblem(encoding);
  if (encodingRefused) return { status: 415, reason: encodingRefused, format, close: true };
  const globalWait = ctx.global.take(['']);
  if (globalWait > 0) return { status: 429, reason: 'the gateway is over its global rate limit', format, retryAfterMs: globalWait, close: true };

  const read = await readBody(req, ctx.maxBodyBytes, ctx.bodyTimeoutMs, { budget: ctx.bodyBudget, ...(beforeReading ? { beforeReading } : {}) });
  if (!read.ok) {
    return read.status === 503
      ? { status: 503, reason: read.reason, format, retryAfterMs: BUSY_RETRY_MS, close: true }
      : { status: read.status, reason: read.reason, format, close: true };
  }
  // Returned, not awaited here: this frame ends, so the body is not held while the upstream answers.
  return checkAndForward(ctx, signal, read.body, contentType, encoding, format);
}

/**
 * Most OTLP messages a body of `sent` bytes (as sent, compressed or not) may decode into. Decoding
 * costs about a microsecond a message, and gzip turns 2 KB of empty spans into a million of them
 * (1.3 s of a core). Real exports hold at most ~20 messages per byte sent, even 5,000 identical
 * log records compressed 270×; 64 leaves room, and any body may hold 65,536.
 */
function messagesFor(sent: number): number {
  return Math.min(DEFAULT_MAX_MESSAGES, Math.max(MIN_MESSAGES, sent * MESSAGES_PER_SENT_BYTE));
}
const MESSAGES_PER_SENT_BYTE = 64;
const MIN_MESSAGES = 65_536;

/** How long a client is asked to wait when the gateway has no room for its body. */
const BUSY_RETRY_MS = 1_000;

/**
 * Decode, per-installation rate, the catalog, and the hand-over to the forwarder, synchronously;
 * then the wait for the upstream. Only counts and the upstream part (encoded, or the body as received)
 * outlive this call, so a request
 * waiting for its batch holds nothing it decoded (32 MiB pending is 32 MiB, not ten times that).
 */
function checkAndForward(
  ctx: IngestContext, signal: OtlpSignal, body: Buffer, contentType: string | undefined, encoding: string | undefined, format: OtlpFormat,
): IngestAnswer | Promise<IngestAnswer> {
  let decoded;
  let bytes: number;
  let exactBody: Uint8Array | undefined;
  try {
    ({ request: decoded, bytes, exactBody } = decodeSizedRequest(signal, body, {
      contentType, contentEncoding: encoding, maxBytes: ctx.maxBodyBytes, maxDepth: ctx.maxDepth, maxMessages: messagesFor(body.byteLength),
    }));
  } catch (err) {
    if (err instanceof OtlpDecodeError) return { status: err.status, reason: err.message, format };
    // Not a decode error: a codec bug met by a strange body. Still the sender's body that is bad.
    return { status: 400, reason: 'body could not be decoded', format };
  }

  const wait = ctx.perInstallation.take(installationsOf(signal, decoded));
  if (wait > 0) return { status: 429, reason: 'this installation is over its rate limit', format, retryAfterMs: wait };

  const { request, accepted, rejected, message, unchanged } = filterRequest(signal, decoded, ctx.index);
  const answer = (): IngestAnswer => {
    ctx.count(signal, accepted, rejected);
    const partial = message ? { rejected, errorMessage: message } : undefined;
    return { status: 200, body: encodeResponse(signal, partial, format), format, ...(message ? { warning: message } : {}) };
  };
  if (accepted === 0) return answer();
  // What the catalog left untouched, and the body holds exactly, goes upstream as received.
  const verbatim = unchanged ? exactBody : undefined;
  return ctx.forwarder.forward(signal, request, accepted, bytes, verbatim).then((result) =>
    result.ok ? answer() : { status: result.status, reason: result.reason, format, retryAfterMs: result.retryAfterMs },
  );
}
