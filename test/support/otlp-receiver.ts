import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { CONTENT_TYPES, decodeContentEncoding, formatForContentType } from '../../src/otlp/content.js';
import { decodeRequest, OtlpDecodeError } from '../../src/otlp/decode.js';
import { encodeResponse } from '../../src/otlp/encode.js';
import {
  flattenLogs,
  flattenMetrics,
  flattenSpans,
  type LogRow,
  type MetricRow,
  type SpanRow,
} from '../../src/otlp/flatten.js';
import { type OtlpSignal, signalForPath } from '../../src/otlp/signals.js';
import type { OtlpFormat, OtlpPartialSuccess, OtlpRequest, OtlpRequestMap } from '../../src/otlp/types.js';
import { officialDecode } from './official-codec.js';

/** How the test receiver behaves. */
export interface ReceiverOptions {
  /** HTTP status to answer every export with (default 200), or one per signal. */
  status?: number | ((signal: OtlpSignal) => number);
  /** Accept connections and read bodies, but never answer (for timeout tests). */
  hang?: boolean;
  /** Milliseconds to wait before answering each export (a slow collector). */
  delayMs?: number;
  /** Sent as `Retry-After` on non-2xx answers (e.g. '1' with status 429 or 503). */
  retryAfter?: string;
  /** Answer 200 with this partial success instead of an empty response. */
  partial?: OtlpPartialSuccess | ((signal: OtlpSignal) => OtlpPartialSuccess | undefined);
  /** Port to bind on 127.0.0.1 (default: a free one). */
  port?: number;
  /** Largest decompressed body accepted (default: the decoder's 16 MiB). */
  maxBytes?: number;
  /** Serve HTTPS with this key and certificate (PEM); the URL is then `https://…`. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

/** One export the receiver accepted, decoded. */
export interface ReceivedRequest<S extends OtlpSignal = OtlpSignal> {
  signal: S;
  /** The Content-Type header as sent. */
  contentType: string;
  /** The Content-Encoding header, '' when absent. */
  encoding: string;
  /** The body in the normalized OTLP/JSON shape (same for protobuf and JSON senders). */
  body: OtlpRequestMap[S];
  /** The body's bytes as sent, decompressed. */
  bytes: Buffer;
  headers: IncomingHttpHeaders;
}

/** One export the receiver refused, with the status it answered. */
export interface RejectedRequest {
  path: string;
  status: number;
  reason: string;
}

/** A running receiver. */
export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>`; exporters take `${url}/v1/metrics` and so on. */
  url: string;
  port: number;
  /** Every decoded export, in arrival order (also those answered with a configured error status). */
  requests: ReceivedRequest[];
  /** Every body that failed to decode or hit an unknown path. */
  rejected: RejectedRequest[];
  /** Flattened metric rows across all metric requests so far. */
  metrics(): MetricRow[];
  /** Flattened log rows across all log requests so far. */
  logs(): LogRow[];
  /** Flattened span rows across all trace requests so far. */
  spans(): SpanRow[];
  /** Resolves once `predicate()` is true; rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** Stops listening and drops every open connection, hung ones included. */
  close(): Promise<void>;
}

/**
 * Starts a real OTLP/HTTP receiver on 127.0.0.1 (a free port) that decodes every export
 * with optel's own codec. By default it answers 200 with an empty `Export…ServiceResponse`
 * in the request's format, like a Collector does.
 */
export async function startReceiver(opts: ReceiverOptions = {}): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = [];
  const rejected: RejectedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = (opts.tls ? createHttpsServer.bind(null, opts.tls) : createServer)((req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then((body) => handle(req, res, body))
      .catch((err: unknown) => {
        // A codec bug, not a bad request: make it loud in the test that hit it.
        const reason = err instanceof Error ? (err.stack ?? err.message) : String(err);
        rejected.push({ path: req.url ?? '/', status: 500, reason });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(reason);
      });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const path = req.url ?? '/';
    const signal = req.method === 'POST' ? signalForPath(path) : undefined;
    if (!signal) {
      rejected.push({ path, status: 404, reason: `no OTLP endpoint at ${req.method} ${path}` });
      res.writeHead(404).end();
      return;
    }
    const contentType = req.headers['content-type'] ?? '';
    const encoding = req.headers['content-encoding'] ?? '';
    let decoded: OtlpRequest;
    try {
      decoded = decodeRequest(signal, body, { contentType, contentEncoding: encoding, maxBytes: opts.maxBytes });
    } catch (err) {
      if (!(err instanceof OtlpDecodeError)) throw err;
      rejected.push({ path, status: err.status, reason: err.message });
      res.writeHead(err.status, { 'content-type': 'text/plain' }).end(err.message);
      return;
    }
    const bytes = Buffer.from(decodeContentEncoding(body, encoding, 1 << 30));
    if (formatForContentType(contentType) === 'protobuf') {
      // Every protobuf body a test sends also checks optel's decoder against the official definitions.
      if (!isDeepStrictEqual(decoded, officialDecode(signal, bytes))) {
        throw new Error(`optel's protobuf decoder and the generated code read this ${signal} body differently: ${Buffer.from(bytes).toString('base64')}`);
      }
    }
    requests.push({ signal, contentType, encoding, body: decoded, bytes, headers: req.headers } as ReceivedRequest);
    if (opts.hang) return;
    if (opts.delayMs) await new Promise((resolve) => setTimeout(resolve, opts.delayMs));
    const format: OtlpFormat = formatForContentType(contentType) ?? 'protobuf';
    const status = typeof opts.status === 'function' ? opts.status(signal) : (opts.status ?? 200);
    if (status < 200 || status > 299) {
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (opts.retryAfter !== undefined) headers['retry-after'] = opts.retryAfter;
      res.writeHead(status, headers).end(`configured status ${status}`);
      return;
    }
    const partial = typeof opts.partial === 'function' ? opts.partial(signal) : opts.partial;
    const answer = encodeResponse(signal, partial, format);
    res.writeHead(status, { 'content-type': CONTENT_TYPES[format], 'content-length': answer.byteLength });
    res.end(answer);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const bodiesOf = <S extends OtlpSignal>(signal: S): OtlpRequestMap[S][] =>
    requests.filter((r): r is ReceivedRequest<S> => r.signal === signal).map((r) => r.body);

  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    rejected,
    metrics: () => bodiesOf('metrics').flatMap(flattenMetrics),
    logs: () => bodiesOf('logs').flatMap(flattenLogs),
    spans: () => bodiesOf('traces').flatMap(flattenSpans),
    waitFor: (predicate, timeoutMs = 10_000) => waitFor(predicate, timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
