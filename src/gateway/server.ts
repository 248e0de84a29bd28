import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { keepServing } from '../http/keep-serving.js';
import { DEFAULT_HOST, DEFAULT_PORT, urlHost } from '../http/loopback.js';
import type { AddressInfo } from 'node:net';
import { CONTENT_TYPES } from '../otlp/content.js';
import { DEFAULT_MAX_DEPTH } from '../otlp/decode.js';
import { type OtlpSignal, signalForPath } from '../otlp/signals.js';
import type { Catalog } from '../semconv/catalog.js';
import { compileCatalog, type CatalogIndex } from '../privacy/validator.js';
import { createForwarder, type ForwarderOptions, type ForwarderStats } from './forwarder.js';
import { ingest, type IngestAnswer, type IngestContext } from './ingest.js';
import { createRateLimiter, parseRate, type RateSpec, retryAfterSeconds } from './rate-limit.js';
import { createByteBudget } from '../http/byte-budget.js';
import { drainable, lingerOnBody } from '../http/linger.js';
import { trackConnections } from '../http/connections.js';
import { statusBody } from '../otlp/status-body.js';
import { listen } from '../http/listen.js';
import { PROMETHEUS_CONTENT_TYPE, prometheusText } from './prometheus-text.js';

/** How to run a gateway; everything but `catalog` and `upstream` has a default. */
export interface GatewayOptions extends Omit<ForwarderOptions, 'upstream'> {
  /** The allowlist to enforce: a catalog from `defineCatalog`, or one already compiled. */
  readonly catalog: Catalog | CatalogIndex;
  /** Base URL of the OTLP/HTTP upstream, e.g. `http://collector:4318`. */
  readonly upstream: string;
  /** TCP port (default 4318, the OTLP/HTTP port; 0 picks a free one). */
  readonly port?: number;
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Largest body, before and after decompression (default 4 MiB, at most 1 GiB); more is a 413. */
  readonly maxBodyBytes?: number;
  /** Deepest JSON nesting accepted (default 64); more is a 400. */
  readonly maxDepth?: number;
  /** Per-installation token bucket (default `120/m`: 2 requests a second, bursts of 120). */
  readonly rate?: RateSpec | string;
  /** One bucket for everything (default `5000/s`). */
  readonly globalRate?: RateSpec | string;
  /** Installations whose buckets are remembered (default 100,000). */
  readonly maxInstallations?: number;
  /** Time allowed for a request's headers (default 10 s) and for its body (default 10 s). */
  readonly headersTimeoutMs?: number;
  readonly bodyTimeoutMs?: number;
  /** Most body bytes being received at once, all connections together (default 64 MiB, never below `maxBodyBytes`); past it, 503. */
  readonly maxIncomingBytes?: number;
  /**
   * Open connections at most (default 10,000). At the limit a new connection closes the one idle
   * longest (one between requests, or still sending its headers), so idle sockets cannot lock clients out.
   */
  readonly maxConnections?: number;
  /** One line per refused request and per partial success (default: silent). Never includes client addresses. */
  readonly log?: (line: string) => void;
  /**
   * A second listener for the operator: `GET /metrics` in the Prometheus text format (default: none).
   * Its own port, so the counts are not served wherever clients can reach; host default 127.0.0.1.
   */
  readonly metrics?: { readonly port: number; readonly host?: string };
}

/** What a gateway has done so far. */
export interface GatewayStats {
  /** Requests answered, by HTTP status. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Items (data points, log records, spans) forwarded, by signal. */
  readonly accepted: Readonly<Record<OtlpSignal, number>>;
  /** Items rejected by the catalog, by signal. */
  readonly rejected: Readonly<Record<OtlpSignal, number>>;
  /** Installations with a rate-limit bucket in memory. */
  readonly installations: number;
  readonly forwarder: ForwarderStats;
}

/** A running gateway. */
export interface Gateway {
  /** `http://<host>:<port>`: what clients' `OTEL_EXPORTER_OTLP_ENDPOINT` should say. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** `http://<host>:<port>/metrics` when `metrics` was asked for. */
  readonly metricsUrl?: string;
  stats(): GatewayStats;
  /** Stops accepting, answers what waits with 503, lets batches in flight finish; safe to call twice. */
  close(): Promise<void>;
}

/** The default port: the standard OTLP/HTTP one, so it can stand where a Collector stood. */
export const DEFAULT_GATEWAY_PORT = DEFAULT_PORT;
/** The default address: loopback; listening on a network is a deliberate `host`. */
export const DEFAULT_GATEWAY_HOST = DEFAULT_HOST;
/** Where load balancers check that a replica is alive. */
export const HEALTH_PATH = '/healthz';
/** Where the metrics listener answers. */
export const METRICS_PATH = '/metrics';
/** Refusals answered before the body was read whose body is drained rather than the connection cut. */
const DRAINED: ReadonlySet<number> = new Set([404, 405, 413, 415, 429, 503]);
/** How long a stop waits for replies still being written (requests still uploading are cut after it). */
const REPLY_GRACE_MS = 2_000;
/** Default body limit. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Largest body limit accepted: OTLP exports are kilobytes, and gunzip cannot produce more than a Buffer holds. */
export const MAX_BODY_LIMIT = 1024 ** 3;

/**
 * Starts `optel gateway`: OTLP/HTTP in (`POST /v1/metrics|logs|traces`, protobuf or JSON, gzip or
 * not), the catalog enforced on every item, valid data out to `upstream`; `GET /healthz` for load
 * balancers. Refuses with 404, 405,
 * 408, 413, 415, 400, 429 (with Retry-After) or 503 (with Retry-After) and a `google.rpc.Status`
 * saying why. Never reads, logs or forwards the client's address. No input makes it throw.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_LIMIT) {
    throw new Error(`the body limit must be between 1 byte and 1 GiB (got ${maxBodyBytes})`);
  }
  const index = 'instrument' in options.catalog ? options.catalog : compileCatalog(options.catalog);
  const host = options.host ?? DEFAULT_GATEWAY_HOST;
  const log = (line: string): void => {
    try {
      options.log?.(line);
    } catch {
      // A failing log sink must not fail a request.
    }
  };
  const spec = (r: RateSpec | string | undefined, fallback: string) => (typeof r === 'object' ? r : parseRate(r ?? fallback));
  const forwarder = createForwarder({ ...options, upstream: options.upstream });
  const statuses: Record<string, number> = {};
  const accepted = { metrics: 0, logs: 0, traces: 0 };
  const rejected = { metrics: 0, logs: 0, traces: 0 };
  const perInstallation = createRateLimiter({ rate: spec(options.rate, '120/m'), maxKeys: options.maxInstallations, now: options.now });
  const ctx: IngestContext = {
    index,
    forwarder,
    perInstallation,
    global: createRateLimiter({ rate: spec(options.globalRate, '5000/s'), maxKeys: 1, now: options.now }),
    maxBodyBytes,
    // Never below the body limit: a body the limit allows must fit when nothing else is arriving.
    bodyBudget: createByteBudget(Math.max(options.maxIncomingBytes ?? 64 * 1024 * 1024, maxBodyBytes)),
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 10_000,
    count(signal, a, r) {
      accepted[signal] += a;
      rejected[signal] += r;
    },
  };
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const server = createServer({
    headersTimeout,
    // Node's own whole-request deadline, a backstop behind readBody's: checked every second, not every 30.
    requestTimeout: Math.max(headersTimeout, ctx.bodyTimeoutMs) + 1_000,
    connectionsCheckingInterval: 1_000,
    keepAliveTimeout: 5_000,
  });
  const connections = trackConnections(server, options.maxConnections ?? 10_000);

  // Requests in progress, per connection: what a stop waits for before it cuts connections.
  const handle = (req: IncomingMessage, res: ServerResponse, beforeReading?: () => void) => {
    const socket = req.socket;
    connections.busy(socket);
    res.once('close', () => connections.idle(socket));
    route(req, beforeReading).then(
      (answer) => reply(res, answer),
      (err: unknown) => {
        log(`internal error on ${req.method} ${(req.url ?? '').slice(0, 100)}: ${(err as Error)?.message ?? String(err)}`);
        reply(res, { status: 500, reason: 'internal error', format: undefined, close: true });
      },
    );
  };
  server.on('request', handle);
  // Expect: 100-continue is granted only once the headers passed (ingest's beforeReading), so a
  // request refused on them gets its answer without uploading the body first.
  const unasked = new WeakSet<IncomingMessage>();
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    unasked.add(req);
    handle(req, res, () => {
      unasked.delete(req);
      res.writeContinue();
    });
  });

  async function route(req: IncomingMessage, beforeReading?: () => void): Promise<IngestAnswer> {
    const path = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
    if (path === HEALTH_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      // Liveness for load balancers: up even while the upstream is down (clients then get 503 +
      // Retry-After from here, which beats a connection refused), with the upstream's state said.
      const body = Buffer.from(JSON.stringify({ status: 'ok', upstream: forwarder.downFor() > 0 ? 'down' : 'up' }));
      return { status: 200, body, format: 'json' };
    }
    const signal = signalForPath(path);
    if (signal === undefined) {
      return { status: 404, reason: 'nothing here: OTLP/HTTP goes to /v1/metrics, /v1/logs or /v1/traces', format: undefined, close: true };
    }
    if (req.method !== 'POST') return { status: 405, reason: `${req.method} is not allowed: OTLP/HTTP uses POST`, format: undefined, close: true };
    return ingest(ctx, signal, req, beforeReading);
  }

  function reply(res: ServerResponse, answer: IngestAnswer): void {
    try {
      answerWith(res, answer);
    } catch {
      // Nothing a reply does may escape as an unhandled rejection: drop the connection instead.
      res.destroy();
    }
  }

  function answerWith(res: ServerResponse, answer: IngestAnswer): void {
    statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    if (answer.status !== 200) log(`${answer.status} ${answer.reason ?? ''}`);
    else if (answer.warning) log(`200 partial success: ${answer.warning}`);
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string | number> = {};
    let body: Uint8Array;
    if (answer.status === 200) {
      body = answer.body ?? new Uint8Array(0);
      headers['content-type'] = CONTENT_TYPES[answer.format ?? 'json'];
    } else {
      const status = statusBody(answer.status, answer.reason ?? '', answer.format);
      body = status.body;
      headers['content-type'] = status.contentType;
    }
    headers['content-length'] = body.byteLength;
    if (answer.retryAfterMs !== undefined && answer.retryAfterMs > 0) headers['retry-after'] = retryAfterSeconds(answer.retryAfterMs);
    if (answer.status === 405) headers.allow = 'POST';
    // A refusal sent before the body was read: drain the body so the sender sees it (not for a
    // 100-continue client never told to send it, nor after a timeout or a cut-off upload).
    const drain = answer.close === true && DRAINED.has(answer.status) && !unasked.has(res.req) && drainable(res.req);
    if (answer.close && !drain) headers.connection = 'close';
    res.writeHead(answer.status, headers);
    if (!drain) {
      res.end(body);
      return;
    }
    // The whole answer goes out now; the response ends (and a closing connection closes) once the body is drained.
    res.write(body);
    lingerOnBody(res.req, () => res.end());
  }

  const stats = (): GatewayStats => ({
    statuses: { ...statuses },
    accepted: { ...accepted },
    rejected: { ...rejected },
    installations: perInstallation.size(),
    forwarder: forwarder.stats(),
  });
  const metricsServer = options.metrics ? createMetricsServer(stats) : undefined;
  try {
    await listen(server, options.port ?? DEFAULT_GATEWAY_PORT, host);
    // Marked, so a start-up error can say which of the two listeners could not start.
    if (metricsServer) await listen(metricsServer, options.metrics?.port ?? 0, options.metrics?.host ?? DEFAULT_GATEWAY_HOST).catch((err: unknown) => {
      throw Object.assign(err as object, { listener: 'metrics' });
    });
  } catch (err) {
    server.close();
    await forwarder.close();
    throw err;
  }
  // After start-up, nothing a socket does may take the process down.
  keepServing(server, log);
  if (metricsServer) keepServing(metricsServer, log);
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    host,
    ...(metricsServer ? { metricsUrl: `http://${urlHost(options.metrics?.host ?? DEFAULT_GATEWAY_HOST)}:${(metricsServer.address() as AddressInfo).port}${METRICS_PATH}` } : {}),
    stats,
    close() {
      closing ??= (async () => {
        metricsServer?.close();
        metricsServer?.closeAllConnections();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await forwarder.close();
        // The forwarder has settled every request it held; their replies are written a few ticks
        // later. Cutting connections first lost acknowledgements of data the upstream had taken.
        await connections.quiet(REPLY_GRACE_MS);
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}


/** The operator's listener: `GET /metrics` (Prometheus text), 404 for any other path, 405 for other methods. */
function createMetricsServer(stats: () => GatewayStats): Server {
  return createServer({ headersTimeout: 10_000, requestTimeout: 10_000, keepAliveTimeout: 5_000 }, (req, res) => {
    // Nothing is read from a request here; a body sent anyway is discarded.
    req.resume();
    const path = (req.url ?? '/').split(/[?#]/, 1)[0];
    if (path !== METRICS_PATH) return void res.writeHead(404, { 'content-type': 'text/plain' }).end(`nothing here: metrics are at ${METRICS_PATH}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('use GET\n');
    const body = Buffer.from(prometheusText(stats()));
    res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': body.byteLength });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}
