#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { telemetryPaths } from '../config/paths.js';
import { envPrefix, FLUSH_VALUES, type Flush } from '../config/settings.js';
import { renderGrafanaDashboard } from '../generate/grafana.js';
import { renderTelemetryMd } from '../generate/telemetry-md.js';
import { inspectSpool } from '../spool/inspect.js';
import { OPTEL_VERSION } from '../version.js';
import { formatInspect } from './inspect.js';
import { loadCatalog } from './load-catalog.js';

/** A failure the user can act on: printed as one line, exit code 1. */
class UsageError extends Error {}

function write(path: string | undefined, text: string): void {
  if (path) writeFileSync(path, text);
  else process.stdout.write(text);
}

const program = new Command('optel')
  .description('Tools for optel telemetry: see it, document it, enforce it.')
  .version(OPTEL_VERSION)
  .showHelpAfterError();

program
  .command('docs')
  .description('generate TELEMETRY.md from a catalog module')
  .argument('<module>', 'a module whose `catalog` (or default) export is the catalog')
  .option('-o, --out <file>', 'write to a file instead of stdout')
  .action(async (module: string, options: { out?: string }) => {
    const { catalog, defaults } = await loadCatalog(module);
    write(options.out, renderTelemetryMd(catalog, defaults));
  });

program
  .command('dashboards')
  .description('generate a Grafana dashboard (Prometheus + Loki) from a catalog module')
  .argument('<module>', 'a module whose `catalog` (or default) export is the catalog')
  .option('-o, --out <file>', 'write to a file instead of stdout')
  .action(async (module: string, options: { out?: string }) => {
    const { catalog } = await loadCatalog(module);
    write(options.out, `${JSON.stringify(renderGrafanaDashboard(catalog), null, 2)}\n`);
  });

program
  .command('inspect')
  .description("show what an app has spooled and would send, per delivery window")
  .argument('<app>', 'the app name (its catalog `app`)')
  .option('--state-dir <dir>', 'the telemetry state directory (default $XDG_STATE_HOME/<app>/telemetry)')
  .option('--flush <window>', 'immediate | hourly | daily (default from <APP>_TELEMETRY_FLUSH, else hourly)', (v: string) => {
    if (!(FLUSH_VALUES as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected ${FLUSH_VALUES.join(', ')}`);
    return v;
  })
  .option('--json', 'machine-readable output')
  .action((app: string, options: { stateDir?: string; flush?: Flush; json?: boolean }) => {
    const stateDir = options.stateDir ?? telemetryPaths(app)?.stateDir;
    if (!stateDir) throw new UsageError('no home directory: pass --state-dir');
    const envFlush = process.env[`${envPrefix(app)}_TELEMETRY_FLUSH`] as Flush | undefined;
    const flush = options.flush ?? (envFlush && FLUSH_VALUES.includes(envFlush) ? envFlush : 'hourly');
    const summary = inspectSpool(`${stateDir}/spool`, flush);
    process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatInspect(summary));
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`optel: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
