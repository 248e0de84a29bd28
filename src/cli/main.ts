#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { join } from 'node:path';
import { readLayers } from '../config/load.js';
import { telemetryPaths } from '../config/paths.js';
import { deliverableTiers, resolveConfig } from '../config/resolve.js';
import { FLUSH_VALUES, type Flush } from '../config/settings.js';
import { directoryState } from '../fs/directory-state.js';
import { renderGrafanaDashboard } from '../generate/grafana.js';
import { renderTelemetryMd } from '../generate/telemetry-md.js';
import { inspectSpool } from '../spool/inspect.js';
import { isAppName } from '../semconv/catalog.js';
import { terminalText, terminalValue } from '../terminal-text.js';
import { OPTEL_VERSION } from '../version.js';
import { exitWhenWritten } from './exit-when-written.js';
import { formatInspect } from './inspect.js';
import { loadCatalog } from './load-catalog.js';

// Output is for whoever reads it. When the reader goes away (`optel dev | head -1`), writes fail
// with EPIPE: stop writing and carry on, rather than take a running server down with a stack trace.
// Any other failure (`optel docs > /dev/full`) means the output is incomplete: exit 1, and say so.
let outputFailed = false;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') return;
    process.exitCode = 1;
    // Said once: every later write (the flush before exit too) fails the same way.
    if (stream === process.stdout && !outputFailed) process.stderr.write(`optel: cannot write the output: ${error.code ?? error.message}\n`);
    if (stream === process.stdout) outputFailed = true;
  });
}

/** A failure the user can act on: printed as one line, exit code 1. */
class UsageError extends Error {}

function write(file: string | undefined, text: string): void {
  if (file !== undefined) writeFileSync(file, text);
  else process.stdout.write(text);
}

/** A one-shot command's catalog: what its module does later cannot end the command or cut its output (see containImport). */
function catalogFor(module: string): ReturnType<typeof loadCatalog> {
  return loadCatalog(module, true);
}

const program = new Command('optel')
  .description('Tools for optel telemetry: see it, document it, enforce it.')
  .version(OPTEL_VERSION)
  // Commander's errors quote the argument given, which may hold what a terminal would act on.
  .configureOutput({ outputError: (text, write) => write(terminalText(text)) });

/** An app name as a catalog has it: it becomes part of paths, so `../x` must never get that far. */
function checkAppName(app: string): void {
  if (!isAppName(app)) throw new UsageError(`"${app}" is not an app name: lowercase letters, digits, - or _, as in the catalog's \`app\``);
}

function count(value: string): number {
  if (!/^\d{1,6}$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return Number(value);
}

/** A path option: given empty (`-o ''`, an unset variable), it would quietly mean "none" (stdout, no file, the default directory). */
function path(value: string): string {
  if (value === '') throw new InvalidArgumentError('expected a path, not an empty string');
  return value;
}

function port(value: string): number {
  // Digits only: Number('') is 0, which would quietly pick a random port.
  const n = /^\s*\d{1,5}\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0-65535');
  return n;
}


program
  .command('dev')
  .description('local OTLP/HTTP receiver with a live dashboard (no Docker, no collector)')
  .option('-p, --port <port>', 'port to listen on', port, 4318)
  .option('--host <host>', 'address to bind (default 127.0.0.1; non-loopback only when given explicitly)')
  .option('--save <file>', 'also append what arrives as OTLP/JSON lines (readable by the Collector otlpjsonfile receiver)', path)
  .option('--max-items <n>', 'recent log records and spans kept in memory', count, 200)
  .option('-q, --quiet', 'no per-request lines')
  .action(async (options: { port: number; host?: string; save?: string; maxItems: number; quiet?: boolean }, command: Command) => {
    const { runDev } = await import('../dev/run-dev.js');
    process.exitCode = await runDev({
      port: options.port,
      host: options.host,
      hostExplicit: command.getOptionValueSource('host') === 'cli',
      save: options.save,
      maxItems: options.maxItems,
      verbose: !options.quiet,
    });
  });

program
  .command('docs')
  .description('generate TELEMETRY.md from a catalog module')
  .argument('<module>', 'a module whose `catalog` (or default) export is the catalog')
  .option('-o, --out <file>', 'write to a file instead of stdout', path)
  .action(async (module: string, options: { out?: string }) => {
    const { catalog, defaults } = await catalogFor(module);
    write(options.out, renderTelemetryMd(catalog, defaults));
  });

program
  .command('dashboards')
  .description('generate a Grafana dashboard (Prometheus + Loki) from a catalog module')
  .argument('<module>', 'a module whose `catalog` (or default) export is the catalog')
  .option('-o, --out <file>', 'write to a file instead of stdout', path)
  .action(async (module: string, options: { out?: string }) => {
    const { catalog } = await catalogFor(module);
    write(options.out, `${JSON.stringify(renderGrafanaDashboard(catalog), null, 2)}\n`);
  });

program
  .command('inspect')
  .description("show what an app has spooled and would send, per delivery window")
  .argument('<app>', 'the app name (its catalog `app`)')
  .option('--state-dir <dir>', 'the telemetry state directory (default $XDG_STATE_HOME/<app>/telemetry)', path)
  .option('--flush <window>', "immediate | hourly | daily (default: as <APP>_TELEMETRY_FLUSH, the admin policy or the user's settings set it, else hourly)", (v: string) => {
    if (!(FLUSH_VALUES as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected ${FLUSH_VALUES.join(', ')}`);
    return v;
  })
  .option('--json', 'machine-readable output')
  .action((app: string, options: { stateDir?: string; flush?: Flush; json?: boolean }) => {
    checkAppName(app);
    const paths = telemetryPaths(app);
    const stateDir = options.stateDir ?? paths?.stateDir;
    if (!stateDir) throw new UsageError('no home directory: pass --state-dir');
    checkStateDir(options.stateDir);
    // What the sender will do: records of a tier withdrawn since (by the user or an admin) are not sent.
    const { layers, killedBy } = readLayers({ app, env: process.env, cwd: process.cwd(), paths, projectFile: false, defaults: {} });
    const tiers = paths ? deliverableTiers(layers, killedBy) : undefined;
    // The flush the admin policy, the environment or the user's file sets, read as the app reads it; only the app knows its own default.
    const config = resolveConfig(layers, killedBy);
    const flushSet = config.explain.find((e) => e.setting === 'flush')?.source !== 'default';
    const known = options.flush ?? (flushSet ? config.flush : undefined);
    const summary = inspectSpool(join(stateDir, 'spool'), known ?? 'hourly', { tiers });
    process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatInspect(summary, known === undefined));
  });

program
  .command('gateway')
  .description('enforce a catalog where data arrives: OTLP/HTTP in, filtered OTLP out to any collector')
  .requiredOption('--catalog <module>', 'the catalog module (its `catalog` or default export)')
  .requiredOption('--upstream <url>', 'base URL of the OTLP/HTTP receiver to forward to')
  .option('-p, --port <port>', 'port to listen on', port, 4318)
  .option('--host <host>', 'address to bind (default 127.0.0.1; another only when given here)')
  .option('--max-body <size>', 'largest request body, e.g. 4mb, 512kb', '4mb')
  .option('--rate <n/unit>', 'per-installation rate limit, <n>/s|m|h', '120/m')
  .option('--global-rate <n/unit>', 'rate limit over all installations', '5000/s')
  .option('--upstream-protocol <format>', 'protobuf | json', 'protobuf')
  .option('--upstream-headers <list>', 'headers for the upstream, key=value,key2=value2')
  .option('-q, --quiet', 'no per-request lines')
  .option('--metrics <[host:]port>', 'also serve GET /metrics (Prometheus text) there; host default 127.0.0.1')
  .option('--young-generation <mb>', "MiB of V8 nursery for the gateway's heap (default 192; 0: V8's default)", count)
  .action(async (o: { catalog: string; upstream: string; port: number; host?: string; maxBody: string; rate: string; globalRate: string;
    upstreamProtocol: string; upstreamHeaders?: string; quiet?: boolean; metrics?: string; youngGeneration?: number }) => {
    if (o.upstreamProtocol !== 'protobuf' && o.upstreamProtocol !== 'json') throw new UsageError('--upstream-protocol must be protobuf or json');
    const { runGatewayInWorker } = await import('../gateway/run-in-worker.js');
    process.exitCode = await runGatewayInWorker({
      catalog: o.catalog, upstream: o.upstream, port: o.port, host: o.host, maxBody: o.maxBody, rate: o.rate, globalRate: o.globalRate,
      upstreamProtocol: o.upstreamProtocol, upstreamHeaders: o.upstreamHeaders, quiet: o.quiet, metrics: o.metrics,
    }, o.youngGeneration);
  });

program
  .command('collector-config')
  .description('generate OpenTelemetry Collector (contrib) filter/transform processors that enforce a catalog')
  .argument('<module>', 'a module whose `catalog` (or default) export is the catalog')
  .option('-o, --out <file>', 'write to a file instead of stdout', path)
  .action(async (module: string, options: { out?: string }) => {
    const { catalog } = await catalogFor(module);
    const { renderCollectorConfig } = await import('../generate/collector-config.js');
    write(options.out, renderCollectorConfig(catalog));
  });

program
  .command('bug-report')
  .description('write <app>-bug-report-<time>.json.gz here (recent redacted events, resolved configuration, versions) and list what it contains')
  .argument('<app>', 'the app name (its catalog `app`)')
  .option('--state-dir <dir>', 'the telemetry state directory (default $XDG_STATE_HOME/<app>/telemetry)', path)
  .option('--app-version <version>', "the app's version, if known")
  .option('--days <n>', 'events of the last n days', count, 7)
  .option('--json', 'print the whole report instead of the listing')
  .option('--dry-run', 'show what it would contain; write nothing')
  .action(async (app: string, o: { stateDir?: string; appVersion?: string; days: number; json?: boolean; dryRun?: boolean }) => {
    checkAppName(app);
    checkStateDir(o.stateDir);
    const { runBugReport } = await import('../bug-report/command.js');
    const r = runBugReport({ app, cwd: process.cwd(), stateDir: o.stateDir, version: o.appVersion, days: o.days, json: o.json, dryRun: o.dryRun });
    (r.exitCode === 0 ? process.stdout : process.stderr).write(r.output);
    if (o.json && r.path) process.stderr.write(`wrote ${r.path}\n`);
    process.exitCode = r.exitCode;
  });

/** A state directory the user named must be there: a typo is not "nothing spooled" or "no history". */
function checkStateDir(given: string | undefined): void {
  const state = given === undefined ? 'directory' : directoryState(given);
  if (state !== 'directory') throw new UsageError(`--state-dir ${given} ${state === 'missing' ? 'does not exist' : 'is not a directory'}`);
}

// Every command is over when its action settles (`dev` and `gateway` once stopped): exit then.
program.parseAsync().then(exitWhenWritten, (error: unknown) => {
  // Messages quote paths, names and what a module threw: as one line, with nothing a terminal would act on.
  process.stderr.write(`optel: ${terminalValue(error instanceof Error ? error.message : String(error))}\n`);
  process.exitCode = 1;
  return exitWhenWritten();
});
