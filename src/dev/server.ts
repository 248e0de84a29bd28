import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTENT_TYPES, contentTypeProblem, DEFAULT_MAX_BYTES, formatForContentType, printable } from '../otlp/content.js';
import { decodeRequest, OtlpDecodeError } from '../otlp/decode.js';
import { encodeResponse } from '../otlp/encode.js';
import { type OtlpSignal, signalForPath } from '../otlp/signals.js';
import type { OtlpFormat } from '../otlp/types.js';
import { DASHBOARD_ASSETS } from './dashboard/assets.js';
import { acceptedLine, refusedLine } from './log-lines.js';
import { DEFAULT_HOST, DEFAULT_PORT, hostOfHeader, isLoopback, urlHost } from '../http/loopback.js';
import { keepServing } from '../http/keep-serving.js';
import { listen } from '../http/listen.js';
import { readBody } from '../http/read-body.js';
import { openSaveFile } from './save-file.js';
import type { DevSnapshot } from './snapshot.js';
import { createSseHub } from './sse.js';
import { statusBody } from '../otlp/status-body.js';
import { createDevStore, type DevStore } from './store.js';
import { formatSummary } from './summary.js';
import { validateRequest } from './validate.js';

/** How to run the dev server; every field is optional. */
export interface DevServerOptions {
  /** TCP port (default 4318, the OTLP/HTTP port; 0 picks a free one). */
  port?: number;
  /** Address to bind (default 127.0.0.1). Refusing non-loopback hosts is the caller's job: see `isLoopback`. */
  host?: string;
  /** Append every accepted request to this file as OTLP/JSON lines (see `openSaveFile`). */
  save?: string;
  /** Recent log records and spans kept in memory, each (default 200). */
  maxItems?: number;
  /** Largest request body, compressed or not (default 16 MiB); more is a 413. */
  maxBytes?: number;
  /** Receives one human line per request and per problem (default: silent). */
  log?: (line: string) => void;
  /** The clock (default `Date.now`), for tests. */
  now?: () => number;
}

/** A running dev server. */
export interface DevServer {
  /** `http://127.0.0.1:<port>`: the dashboard, and the base URL for OTLP exporters. */
  url: string;
  port: number;
  host: string;
  /** What was received. */
  store: DevStore;
  /** The dashboard state, including `--save` progress. */
  snapshot(): DevSnapshot;
  /** The terminal summary (see `formatSummary`). */
  summary(): string;
  /** Stops listening, ends dashboard streams and closes the save file; safe to call twice. */
  close(): Promise<void>;
}

/** Security headers for every dashboard response: nothing but this origin, no framing. */
/** How long a sender may take to send its body before it gets 408 (a local tool can be generous). */
const BODY_DEADLINE_MS = 30_000;

const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * Starts `optel dev`: an OTLP/HTTP receiver for `/v1/metrics`, `/v1/logs` and `/v1/traces`
 * (protobuf or JSON, gzip or not) and, on the same port, a live dashboard (`/`), its state
 * (`/api/state`) and a server-sent event stream of it (`/events`). Answers like a Collector:
 * 200 with an empty or partial-success response in the request's format; 400, 405, 413 or
 * 415 with a `google.rpc.Status` saying why. No input makes it throw.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const host = options.host ?? DEFAULT_HOST;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const store = createDevStore({ maxItems: options.maxItems, now });
  const save = options.save ? openSaveFile(options.save, log) : undefined;
  const snapshot = (): DevSnapshot => (save ? { ...store.snapshot(), save: save.snapshot() } : store.snapshot());
  const hub = createSseHub(() => JSON.stringify(snapshot()));
  // Bound to loopback, only loopback Host headers are served: a web page that rebinds its own
  // name to 127.0.0.1 (DNS rebinding) must not read the dashboard's data.
  const checkHost = isLoopback(host);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`internal error on ${req.method} ${req.url}: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) reply(res, 500, statusBody(500, 'internal error', undefined));
      else res.destroy();
    });
  });
  // Exports are small and quick; a client trickling a body must not hold a socket for minutes.
  server.requestTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const path = target.split(/[?#]/, 1)[0] || '/';
    const method = req.method ?? 'GET';
    if (checkHost && req.headers.host && !isLoopback(hostOfHeader(req.headers.host))) {
      reply(res, 403, statusBody(403, 'this server only answers requests addressed to a loopback host', undefined));
      return;
    }
    const signal = signalForPath(path);
    if (signal) return ingest(signal, path, req, res);
    if (path === '/api/clear' && method === 'POST') {
      // A custom header forces a CORS preflight, which this server never approves: other sites cannot clear.
      if (!req.headers['x-optel-dev']) {
        // The dashboard's own request, not telemetry: not counted with refused exports.
        log(refusedLine(now(), 403, path, 'missing x-optel-dev header'));
        return reply(res, 403, statusBody(403, 'missing x-optel-dev header', undefined));
      }
      store.clear();
      hub.notify();
      res.writeHead(204).end();
      return;
    }
    const isRead = method === 'GET' || method === 'HEAD';
    if (path === '/api/state') {
      if (!isRead) return methodNotAllowed(res, 'GET, HEAD');
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(snapshot()));
      return;
    }
    if (path === '/events') {
      if (method !== 'GET') return methodNotAllowed(res, 'GET');
      if (!hub.attach(res)) reply(res, 503, statusBody(503, 'too many dashboards are open: close one', undefined));
      return;
    }
    const asset = DASHBOARD_ASSETS[path];
    if (asset) {
      if (!isRead) return methodNotAllowed(res, 'GET, HEAD');
      res.writeHead(200, { 'content-type': asset.type, 'content-length': Buffer.byteLength(asset.body), ...PAGE_HEADERS });
      res.end(asset.body);
      return;
    }
    reply(res, 404, statusBody(404, `nothing at ${path.slice(0, 100)}: OTLP goes to /v1/metrics, /v1/logs or /v1/traces`, undefined));
  }

  async function ingest(signal: OtlpSignal, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      store.reject({ path, status: 405, reason: `${req.method} is not allowed, OTLP/HTTP uses POST` });
      hub.notify();
      return methodNotAllowed(res, 'POST');
    }
    const contentType = req.headers['content-type'];
    const format = formatForContentType(contentType);
    if (!format) return refuse(res, path, 415, contentTypeProblem(contentType), undefined);
    const read = await readBody(req, maxBytes, BODY_DEADLINE_MS);
    if (!read.ok) {
      res.setHeader('connection', 'close');
      return refuse(res, path, read.status, read.reason, format);
    }
    const encoding = req.headers['content-encoding'] ?? '';
    let decoded;
    try {
      decoded = decodeRequest(signal, read.body, { contentType, contentEncoding: encoding, maxBytes });
    } catch (err) {
      if (err instanceof OtlpDecodeError) return refuse(res, path, err.status, err.message, format);
      // Not a decode error: a codec bug. Still a bad body from the sender's point of view.
      return refuse(res, path, 400, 'body could not be decoded', format);
    }
    const valid = validateRequest(signal, decoded);
    const at = now();
    store.add(signal, valid.request, { bytes: read.body.byteLength });
    save?.append(signal, valid.request);
    if (options.log) log(acceptedLine(at, signal, valid.request, { format, encoding: printable(encoding), bytes: read.body.byteLength }));
    if (valid.message) {
      store.reject({ path, status: 200, reason: valid.message, items: valid.rejected });
      log(refusedLine(at, 200, path, valid.message));
    }
    hub.notify();
    const partial = valid.message ? { rejected: valid.rejected, errorMessage: valid.message } : undefined;
    const answer = encodeResponse(signal, partial, format);
    res.writeHead(200, { 'content-type': CONTENT_TYPES[format], 'content-length': answer.byteLength });
    res.end(answer);
  }

  function refuse(res: ServerResponse, path: string, status: number, reason: string, format: OtlpFormat | undefined): void {
    store.reject({ path, status, reason });
    hub.notify();
    log(refusedLine(now(), status, path, reason));
    reply(res, status, statusBody(status, reason, format));
  }

  await listen(server, options.port ?? DEFAULT_PORT, host).catch((err: unknown) => {
    save?.abandon();
    hub.close();
    throw err;
  });
  // After start-up, a socket error must never take the process down.
  keepServing(server, log);
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    host,
    store,
    snapshot,
    summary: () => formatSummary(snapshot()),
    close() {
      closing ??= new Promise<void>((resolve) => {
        hub.close();
        server.close(() => {
          save?.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function reply(res: ServerResponse, status: number, body: { body: Uint8Array; contentType: string }): void {
  res.writeHead(status, { 'content-type': body.contentType, 'content-length': body.body.byteLength });
  res.end(body.body);
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('allow', allow);
  reply(res, 405, statusBody(405, `method not allowed (use ${allow})`, undefined));
}
