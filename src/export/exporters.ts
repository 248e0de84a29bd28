import { readFileSync } from 'node:fs';
import { type ClientRequest, Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import { resolve } from 'node:path';
import { diagLog } from '../diag.js';
import { TLS_FILES, tlsVariables } from '../config/tls-variables.js';
import { errorClass } from '../instruments/error-class.js';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ExportConfig } from '../config/resolve.js';
import type { Signal } from '../config/settings.js';
import { consoleLogExporter, consoleMetricExporter, consoleSpanExporter, type TextSink } from './console-exporters.js';

/** One exporter per signal that is on (`none` and tiers without consent get none). */
export interface Exporters {
  readonly metrics?: PushMetricExporter;
  readonly logs?: LogRecordExporter;
  readonly traces?: SpanExporter;
}

/** How the exporters' connections behave. */
export interface ExporterOptions {
  /** False: their connections do not keep the process alive (a daemon's exports must not delay its exit). Default true. */
  readonly holdExit?: boolean;
  /**
   * Asked before every request an exporter makes, its own retries included (an OTLP exporter
   * retries a 503 for up to its timeout): false fails that request before any byte is sent, so
   * data whose consent was withdrawn mid-export is not sent by a retry.
   */
  readonly mayConnect?: (signal: Signal) => boolean;
}

/**
 * Creates the official OTLP/HTTP exporters (protobuf or JSON, loaded on demand so only the chosen
 * encoding is imported) or the stderr console ones, configured from the resolved layers rather than
 * re-reading the environment, so admin policy and user files apply too.
 */
export async function createExporters(config: ExportConfig, signals: readonly Signal[], stderr: TextSink, options: ExporterOptions = {}): Promise<Exporters> {
  const json = config.protocol === 'http/json';
  const { holdExit = true, mayConnect } = options;
  const common = (signal: Signal) => ({
    url: config.endpoints[signal], headers: { ...config.headers, ...config.signalHeaders[signal] }, timeoutMillis: config.timeoutMs,
    ...(holdExit && !mayConnect ? {} : { httpAgentOptions: agentFactory(!holdExit, mayConnect && (() => mayConnect(signal)), tlsFiles(signal)) }),
  });
  const out: { -readonly [K in keyof Exporters]: Exporters[K] } = {};
  for (const signal of signals) {
    const kind = config.exporters[signal];
    if (kind === 'none') continue;
    if (signal === 'metrics') {
      if (kind === 'console') out.metrics = consoleMetricExporter(stderr);
      else {
        const { OTLPMetricExporter } = json
          ? await import('@opentelemetry/exporter-metrics-otlp-http')
          : await import('@opentelemetry/exporter-metrics-otlp-proto');
        out.metrics = ownHeaders(() => new OTLPMetricExporter({ ...common('metrics'), temporalityPreference: AggregationTemporalityPreference.DELTA }));
      }
    } else if (signal === 'logs') {
      if (kind === 'console') out.logs = consoleLogExporter(stderr);
      else {
        const { OTLPLogExporter } = json
          ? await import('@opentelemetry/exporter-logs-otlp-http')
          : await import('@opentelemetry/exporter-logs-otlp-proto');
        out.logs = ownHeaders(() => new OTLPLogExporter(common('logs')));
      }
    } else if (kind === 'console') out.traces = consoleSpanExporter(stderr);
    else {
      const { OTLPTraceExporter } = json
        ? await import('@opentelemetry/exporter-trace-otlp-http')
        : await import('@opentelemetry/exporter-trace-otlp-proto');
      out.traces = ownHeaders(() => new OTLPTraceExporter(common('traces')));
    }
  }
  return out;
}

/** A collector's CA and a client certificate and key, for an `https:` endpoint. */
type TlsFiles = { ca?: Buffer; cert?: Buffer; key?: Buffer };

/**
 * What `OTEL_EXPORTER_OTLP_[<SIGNAL>_]CERTIFICATE`, `…CLIENT_CERTIFICATE` and `…CLIENT_KEY` name, read
 * as the OTLP exporters read them (the signal's variable first, a path relative to the working
 * directory: the sender's is the state directory, so `launchSender` hands it absolute paths). The exporters read them only into an agent they make themselves: one of ours must
 * carry them, or exports to a private CA's or an mTLS collector fail.
 */
function tlsFiles(signal: Signal): TlsFiles {
  const out: TlsFiles = {};
  for (const file of TLS_FILES) {
    // Blank is unset, as the exporters take it.
    const [specific, general] = tlsVariables(file, signal).map((name) => process.env[name]?.trim());
    const path = specific || general;
    if (!path) continue;
    try {
      out[TLS_OPTION[file]] = readFileSync(resolve(path));
    } catch (error) {
      diagLog('warn', `could not read ${path}, named by OTEL_EXPORTER_OTLP_…${file} (${errorClass(error)}); exports go without it`);
    }
  }
  return out;
}

/** The TLS option each file is. */
const TLS_OPTION = { CERTIFICATE: 'ca', CLIENT_CERTIFICATE: 'cert', CLIENT_KEY: 'key' } as const;

/** Refuses a request whose data may no longer be sent. */
const WITHDRAWN = 'its data may no longer be sent (telemetry was turned off)';

/**
 * The exporters' keep-alive agent: with `unref`, its sockets unref'd when made and when reused (an
 * export in flight never holds the process up); with `allowed`, each request asks it first, on a
 * new connection and on a kept-alive one alike.
 */
function agentFactory(unref: boolean, allowed: (() => boolean) | undefined, tls: TlsFiles) {
  return async (protocol: string): Promise<HttpAgent> => {
    const agent = protocol === 'https:' ? new HttpsAgent({ keepAlive: true, ...tls }) : new HttpAgent({ keepAlive: true });
    const create = agent.createConnection.bind(agent) as (...args: unknown[]) => Socket | undefined;
    agent.createConnection = ((options: unknown, done: (error: Error | null, socket?: Socket) => void) => {
      // Handed to the callback, an error fails the request before any connection is opened.
      if (allowed && !allowed()) return void process.nextTick(done, new Error(WITHDRAWN));
      const socket = create(options, done);
      return unref ? socket?.unref() : socket;
    }) as HttpAgent['createConnection'];
    const reuse = (agent as unknown as { reuseSocket(socket: Socket, req: ClientRequest): void }).reuseSocket.bind(agent);
    Object.assign(agent, {
      reuseSocket: (socket: Socket, req: ClientRequest) => {
        reuse(socket, req);
        if (unref) socket.unref();
        // Destroyed before it is given the socket, the request writes nothing on it.
        if (allowed && !allowed()) req.destroy(new Error(WITHDRAWN));
      },
    });
    return agent;
  };
}

const HEADER_VARIABLES = ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_METRICS_HEADERS', 'OTEL_EXPORTER_OTLP_LOGS_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'];

/**
 * Builds an exporter that sees only the headers optel passes. The OTLP exporters also read the
 * `OTEL_EXPORTER_OTLP_*HEADERS` variables themselves, at construction, and add what they find to the
 * headers given — bypassing the layers (an admin's file) and the validation that skips a header
 * Node would refuse (one such header failed every export, for good). Hidden for the synchronous
 * constructor call only, and put back.
 */
function ownHeaders<T>(build: () => T): T {
  const saved = HEADER_VARIABLES.map((name) => [name, process.env[name]] as const).filter(([, value]) => value !== undefined);
  if (saved.length === 0) return build();
  for (const [name] of saved) delete process.env[name];
  try {
    return build();
  } finally {
    for (const [name, value] of saved) process.env[name] = value;
  }
}
