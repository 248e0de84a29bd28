import { isHeaderName, isHeaderValue } from '../config/parse.js';
import { scrubUrl } from '../config/scrub-url.js';
import { bindableHost, isLoopback } from '../http/loopback.js';
import { untilStopped } from '../cli/until-stopped.js';
import { loadCatalog } from '../cli/load-catalog.js';
import type { OtlpFormat } from '../otlp/types.js';
import { parseRate } from './rate-limit.js';
import { DEFAULT_GATEWAY_HOST, DEFAULT_GATEWAY_PORT, DEFAULT_MAX_BODY_BYTES, type Gateway, type GatewayOptions, startGateway } from './server.js';

/** What `optel gateway` takes from its command line (strings as typed), plus where to print. */
export interface RunGatewayOptions {
  /** Path of the catalog module (its `catalog` or default export). */
  readonly catalog: string;
  /** Base URL of the upstream OTLP/HTTP receiver, e.g. `http://collector:4318`. */
  readonly upstream: string;
  /** Default 4318. */
  readonly port?: number | string;
  /** Default 127.0.0.1; another address only when the user typed `--host`. */
  readonly host?: string;
  /** Body limit, e.g. `4mb`, `512kb` or bytes (default 4 MiB). */
  readonly maxBody?: number | string;
  /** Per-installation rate, `<n>/s|m|h` (default `120/m`). */
  readonly rate?: string;
  /** Global rate (default `5000/s`). */
  readonly globalRate?: string;
  /** Encoding upstream (default protobuf). */
  readonly upstreamProtocol?: OtlpFormat;
  /** Headers for the upstream, `key=value,key2=value2` like `OTEL_EXPORTER_OTLP_HEADERS`. */
  readonly upstreamHeaders?: string;
  /** No per-request lines (default false). */
  readonly quiet?: boolean;
  /** `[host:]port` of a Prometheus `GET /metrics` listener (default none; host default 127.0.0.1). */
  readonly metrics?: string;
  /** Stops the gateway like Ctrl+C does (for embedding and tests). */
  readonly signal?: AbortSignal;
  /** Where the address and request lines go (default `process.stdout`); problems go to `stderr`. */
  readonly stdout?: { write(text: string): unknown };
  readonly stderr?: { write(text: string): unknown };
  /** Anything else `startGateway` takes (timeouts, batching), for embedding. */
  readonly advanced?: Partial<GatewayOptions>;
}

/** Most request lines printed per second; a flood of bad requests must not become a flood of output. */
const LINES_PER_SECOND = 20;

/**
 * Runs `optel gateway` as a command: loads the catalog, starts the gateway, prints its address to
 * stdout (`optel gateway: listening on http://127.0.0.1:4318`), one line per refusal or partial
 * success (throttled), and on SIGINT/SIGTERM (or `signal`) drains and stops. Resolves with the exit
 * code: 0 after a clean stop, 1 when it could not start (the reason on stderr).
 */
export async function runGateway(options: RunGatewayOptions): Promise<number> {
  const out = options.stdout ?? process.stdout;
  const err = options.stderr ?? process.stderr;
  let gateway: Gateway;
  const host = bindableHost(options.host ?? '') || DEFAULT_GATEWAY_HOST;
  let metrics: { port: number; host?: string } | undefined;
  try {
    metrics = options.metrics === undefined ? undefined : parseListenAddress(options.metrics);
    const { catalog } = await loadCatalog(options.catalog);
    const upstream = checkUpstream(options.upstream);
    gateway = await startGateway({
      ...options.advanced,
      catalog,
      upstream,
      port: options.port === undefined ? DEFAULT_GATEWAY_PORT : parsePort(options.port),
      host,
      maxBodyBytes: options.maxBody === undefined ? DEFAULT_MAX_BODY_BYTES : parseSize(options.maxBody),
      ...(options.rate !== undefined ? { rate: parseRate(options.rate) } : {}),
      ...(options.globalRate !== undefined ? { globalRate: parseRate(options.globalRate) } : {}),
      ...(options.upstreamProtocol !== undefined ? { format: options.upstreamProtocol } : {}),
      ...(options.upstreamHeaders !== undefined ? { headers: parseHeaders(options.upstreamHeaders) } : {}),
      ...(options.quiet ? {} : { log: throttled((line) => out.write(`${line}\n`)) }),
      ...(metrics ? { metrics } : {}),
    });
  } catch (e) {
    err.write(`optel gateway: ${startError(e, options, metrics)}\n`);
    return 1;
  }
  // Listen for SIGTERM before announcing: a supervisor may stop the gateway the moment it reads the line.
  const stopped = untilStopped(options.signal);
  out.write(`optel gateway: listening on ${gateway.url}, forwarding to ${scrubUrl(options.upstream).replace(/\/$/, '')}${exposureNote(host)}\n`);
  if (gateway.metricsUrl) out.write(`optel gateway: metrics at ${gateway.metricsUrl}${exposureNote(metrics?.host ?? DEFAULT_GATEWAY_HOST)}\n`);

  await stopped;
  await gateway.close();
  const s = gateway.stats();
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  out.write(`optel gateway: stopped; forwarded ${sum(s.accepted)} items, rejected ${sum(s.rejected)}\n`);
  return 0;
}

/** What the banner adds for a host beyond loopback: its URL shows a wildcard address as the loopback twin usable from here. */
export function exposureNote(host: string): string {
  return isLoopback(host) ? '' : `; bound to ${host}, reachable from the network`;
}

/** A size as typed: bytes, or a number with `kb`, `mb` or `gb` (binary units). */
export function parseSize(value: number | string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?\s*$/i.exec(String(value));
  const unit = (m?.[2] ?? 'b').toLowerCase()[0] as string;
  const bytes = m ? Math.floor(Number(m[1]) * ({ b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit] ?? 1)) : 0;
  if (!(bytes > 0)) throw new Error(`invalid size "${value}": use bytes or e.g. 512kb, 4mb`);
  return bytes;
}

/** `--metrics`: a port, or `host:port` (`[v6]:port` for IPv6). */
export function parseListenAddress(value: string): { port: number; host?: string } {
  const m = /^(?:(\[[^\]]+\]|[^:[\]]+):)?(\d+)$/.exec(value.trim());
  if (!m) throw new Error(`invalid metrics address "${value}": use a port or host:port, e.g. 9464 or 127.0.0.1:9464`);
  const port = parsePort(m[2] as string);
  return m[1] === undefined ? { port } : { port, host: bindableHost(m[1]) };
}

function parsePort(value: number | string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port "${value}"`);
  return port;
}

function checkUpstream(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`invalid --upstream "${value}": expected a URL such as http://collector:4318`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--upstream must be http:// or https://, not ${url.protocol}`);
  return value;
}

/** `key=value,key2=value2`, values percent-decoded, as `OTEL_EXPORTER_OTLP_HEADERS` is written. */
export function parseHeaders(value: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const part of value.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? '' : part.slice(0, eq).trim().toLowerCase();
    if (!isHeaderName(key)) throw new Error('invalid --upstream-headers: expected key=value,key2=value2');
    let text: string;
    try {
      text = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      throw new Error(`invalid --upstream-headers: the value of "${key}" is not valid percent-encoding`);
    }
    if (!isHeaderValue(text)) throw new Error(`invalid --upstream-headers: the value of "${key}" has characters a header cannot carry`);
    headers[key] = text;
  }
  return headers;
}


function throttled(write: (line: string) => void): (line: string) => void {
  let second = 0;
  let printed = 0;
  let suppressed = 0;
  return (line) => {
    const now = Math.floor(Date.now() / 1000);
    if (now !== second) {
      if (suppressed > 0) write(`(${suppressed} more lines suppressed)`);
      second = now;
      printed = 0;
      suppressed = 0;
    }
    if (printed++ < LINES_PER_SECOND) write(line);
    else suppressed++;
  };
}

function startError(e: unknown, options: RunGatewayOptions, metrics: { port: number; host?: string } | undefined): string {
  const { code, listener } = e as { code?: string; listener?: string };
  const message = e instanceof Error ? e.message : String(e);
  const ofMetrics = metrics !== undefined && listener === 'metrics';
  const [flag, port, host] = ofMetrics
    ? ['--metrics', metrics.port, metrics.host ?? DEFAULT_GATEWAY_HOST]
    : ['--port', options.port ?? DEFAULT_GATEWAY_PORT, options.host ?? DEFAULT_GATEWAY_HOST];
  if (code === 'EADDRINUSE') return `port ${port} is already in use${ofMetrics ? '' : ' (a Collector, or optel dev?)'}; try ${flag} ${Number(port) + 1}`;
  if (code === 'EACCES') return `not allowed to listen on port ${port}; try a port above 1024`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on ${host}: no such local address`;
  return message;
}
