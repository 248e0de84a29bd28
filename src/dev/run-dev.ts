import { untilStopped } from '../cli/until-stopped.js';
import { terminalText, terminalValue } from '../terminal-text.js';
import { bindableHost, DEFAULT_HOST, DEFAULT_PORT, isLoopback } from '../http/loopback.js';
import { type DevServer, type DevServerOptions, startDevServer } from './server.js';

/** What `optel dev` takes from its command line, plus where to print (for tests). */
export interface RunDevOptions extends Omit<DevServerOptions, 'log'> {
  /**
   * Whether the user typed `--host` (default: true when `host` is set). Only an explicit
   * `--host` may bind a non-loopback address; a host from anywhere else is refused.
   */
  hostExplicit?: boolean;
  /** Print per-request lines (default true). */
  verbose?: boolean;
  /** Stops the server like Ctrl+C does (for embedding and tests). */
  signal?: AbortSignal;
  /** Where the UI goes (default `process.stdout`); problems go to `stderr` (default `process.stderr`). */
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
}

/** The host to bind, or why not: a non-loopback host needs an explicit `--host`, and gets a warning. */
export function resolveDevHost(host: string | undefined, explicit: boolean): { host: string; warning?: string } | { error: string } {
  const h = bindableHost(host ?? '') || DEFAULT_HOST;
  if (isLoopback(h)) return { host: h };
  if (!explicit) return { error: `refusing to listen on ${h}: it is not a loopback address (pass --host ${h} to mean it)` };
  return {
    host: h,
    warning: `listening on ${h}: anyone who can reach this address can send data and read the dashboard`,
  };
}

/**
 * Runs `optel dev` as a command: starts the server, prints the dashboard address and one line
 * per request to stdout, and on SIGINT/SIGTERM (or `signal`) prints the terminal summary and
 * stops. Resolves with the exit code: 0 after a clean stop, 1 when it could not start.
 */
export async function runDev(options: RunDevOptions = {}): Promise<number> {
  const out = options.stdout ?? process.stdout;
  const err = options.stderr ?? process.stderr;
  const resolved = resolveDevHost(options.host, options.hostExplicit ?? options.host !== undefined);
  if ('error' in resolved) {
    err.write(`optel dev: ${resolved.error}\n`);
    return 1;
  }

  let server: DevServer;
  try {
    server = await startDevServer({
      ...options,
      host: resolved.host,
      // Lines and the summary quote what senders sent (service and metric names, reasons).
      log: options.verbose === false ? undefined : (line) => out.write(`${terminalValue(line)}\n`),
    });
  } catch (e) {
    err.write(`optel dev: ${startError(e, options)}\n`);
    return 1;
  }
  // Listen for Ctrl+C before saying so: a signal that arrives between the two would kill the process unsummarised.
  const stopped = untilStopped(options.signal);
  if (resolved.warning) err.write(`optel dev: warning: ${resolved.warning}\n`);
  out.write(banner(server, options.save));

  await stopped;
  out.write(`\n${terminalText(server.summary())}`);
  await server.close();
  return 0;
}

function banner(server: DevServer, save: string | undefined): string {
  const lines = [
    `optel dev: listening on ${server.url}`,
    '',
    `  Dashboard   ${server.url}/`,
    `  OTLP/HTTP   ${server.url}/v1/metrics, /v1/logs, /v1/traces (protobuf or JSON, gzip or not)`,
  ];
  if (save) lines.push(`  Saving to   ${save} (OTLP/JSON lines, readable by the Collector's otlpjsonfile receiver)`);
  lines.push(
    '',
    `  Send here:  export OTEL_EXPORTER_OTLP_ENDPOINT=${server.url}`,
    // The app is not known here, and a CLI's default flush is hourly: without this nothing shows for up to an hour.
    '              export TODO_TELEMETRY_FLUSH=immediate  (the example; <APP>_TELEMETRY_FLUSH for your own app)',
    '              A CLI sends hourly by default: without it, nothing shows here until its hour is over.',
    '  Ctrl+C stops and prints a summary.',
    '',
  );
  return `${lines.join('\n')}\n`;
}

function startError(e: unknown, options: RunDevOptions): string {
  const { code, syscall } = e as { code?: string; syscall?: string };
  const message = e instanceof Error ? e.message : String(e);
  if (syscall === 'open') return `cannot open --save file ${options.save}: ${message}`;
  const port = options.port ?? DEFAULT_PORT;
  // The next port up, unless there is none: --port takes 0-65535.
  if (code === 'EADDRINUSE') return `port ${port} is already in use (a Collector, or another optel dev?); try --port ${port < 65535 ? port + 1 : port - 1}`;
  if (code === 'EACCES') return `not allowed to listen on port ${port}; try a port above 1024`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on ${options.host}: no such local address`;
  return message;
}
