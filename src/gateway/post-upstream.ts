import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { formatForContentType } from '../otlp/content.js';
import { decodeResponse } from '../otlp/decode.js';
import { OTLP_PATHS, type OtlpSignal } from '../otlp/signals.js';

/** What the upstream answered. */
export interface UpstreamAnswer {
  readonly status: number;
  /** From a `Retry-After` header (seconds or an HTTP date), in milliseconds. */
  readonly retryAfterMs: number | undefined;
  readonly contentType: string | undefined;
  /** The response body, cut at 64 KiB (it is a small `Export…ServiceResponse` or an error). */
  readonly body: Buffer;
}

/** One POST to the upstream; rejects on a network error or when `timeoutMs` passes before the status arrives. */
export type PostUpstream = (url: URL, body: Uint8Array, headers: Readonly<Record<string, string>>, timeoutMs: number) => Promise<UpstreamAnswer>;

const MAX_RESPONSE = 64 * 1024;

/**
 * A poster over keep-alive connections (at most `maxSockets` to the upstream), so a steady stream
 * of batches costs no TCP or TLS handshakes. `close()` drops the idle connections.
 */
export function createUpstreamPoster(maxSockets: number): { post: PostUpstream; close(): void } {
  const http = new HttpAgent({ keepAlive: true, maxSockets });
  const https = new HttpsAgent({ keepAlive: true, maxSockets });
  const post: PostUpstream = (url, body, headers, timeoutMs) =>
    new Promise<UpstreamAnswer>((resolve, reject) => {
      const secure = url.protocol === 'https:';
      const req = (secure ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        agent: secure ? https : http,
        headers: { ...headers, 'content-length': String(body.byteLength) },
      });
      // One deadline for the whole exchange: connecting, sending and a trickling answer alike. Once
      // the status has arrived it decides, whatever happens to the rest of the answer: a 2xx whose
      // body trickles past the deadline or is cut by a reset was still accepted, and sending the
      // batch again would deliver it twice.
      let answered: (() => void) | undefined;
      const timer = setTimeout(() => (answered ? answered() : req.destroy(new Error(`no answer within ${timeoutMs} ms`))), timeoutMs);
      timer.unref();
      req.on('error', (err) => {
        clearTimeout(timer);
        if (answered) answered();
        else reject(err);
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        answered = () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            retryAfterMs: parseRetryAfter(res.headers['retry-after']),
            contentType: res.headers['content-type'],
            body: Buffer.concat(chunks).subarray(0, MAX_RESPONSE),
          });
          // Settled: an unfinished body is not waited for (its connection is not reused).
          if (!res.complete) res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_RESPONSE) chunks.push(chunk);
          size += chunk.byteLength;
        });
        res.on('end', answered);
        // A body cut short ends in 'error' or only in 'close': either way the status stands.
        res.on('error', answered);
        res.on('close', answered);
      });
      req.end(body);
    });
  return {
    post,
    close() {
      http.destroy();
      https.destroy();
    },
  };
}

/** A `Retry-After` value in milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** `/v1/<signal>` appended to the upstream's path, its query (and credentials) kept. */
export function signalUrl(upstream: string, signal: OtlpSignal): URL {
  const url = new URL(upstream);
  url.pathname = url.pathname.replace(/\/+$/, '') + OTLP_PATHS[signal];
  return url;
}

/** Items the upstream reported rejected in a 2xx answer (0 when it sent none or its body is unreadable). */
export function rejectedBy(signal: OtlpSignal, body: Buffer, contentType: string | undefined): number {
  const format = formatForContentType(contentType);
  if (body.byteLength === 0 || format === undefined) return 0;
  try {
    const partial = decodeResponse(signal, body, format).partialSuccess;
    const n = Number(partial?.rejectedDataPoints ?? partial?.rejectedLogRecords ?? partial?.rejectedSpans ?? 0);
    return Number.isFinite(n) ? n : 0;
  } catch {
    return 0;
  }
}
