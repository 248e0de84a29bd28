import { readLayers } from '../config/load.js';
import { telemetryPaths, type PathOverrides } from '../config/paths.js';
import { resolveConfig } from '../config/resolve.js';
import type { Env } from '../config/env-layer.js';
import { historyDirOf } from '../history/day-file.js';
import type { TelemetryStatus } from '../instruments/telemetry.js';
import { createBugReport, type BugReport } from './bundle.js';
import { describeBugReport } from './describe.js';
import { writeBugReport } from './file.js';

/** A command's answer: text for the host to print on its stdout, an exit code, and the file written. */
export interface BugReportCommandResult {
  readonly output: string;
  readonly exitCode: number;
  readonly report: BugReport;
  /** The file written; undefined for a dry run or when writing failed. */
  readonly path?: string;
}

/** How the command writes and shows the report. */
export interface BugReportCommandOptions {
  /** The folder to write into (default `process.cwd()`). */
  readonly dir?: string;
  /** Print the whole report as JSON instead of the listing. */
  readonly json?: boolean;
  /** Show what the report would contain; write nothing. */
  readonly dryRun?: boolean;
  /** Events of the last this many days (default 7). */
  readonly days?: number;
  /** The clock (epoch ms; default `Date.now()`). */
  readonly now?: number;
}

/** What `bugReportFromTelemetry` needs of a telemetry client. */
export interface BugReportSource {
  readonly app: string;
  /** The app's version, when the client exposes it. */
  readonly version?: string;
  status(): TelemetryStatus;
}

function finish(report: BugReport, options: BugReportCommandOptions): BugReportCommandResult {
  const shown = options.json ? `${JSON.stringify(report, null, 2)}\n` : describeBugReport(report);
  // JSON output is the report alone, so that it can be piped into `jq` and the like.
  if (options.dryRun) return { output: options.json ? shown : `${shown}(dry run: nothing written)\n`, exitCode: 0, report };
  try {
    const { path, bytes } = writeBugReport(report, options.dir ?? process.cwd());
    const note = `wrote ${path} (${bytes} bytes). Check it (\`zcat\` shows every line), then attach it to your issue.\n`;
    return { output: options.json ? shown : `${shown}${note}`, exitCode: 0, report, path };
  } catch (error) {
    return { output: `${shown}could not write the bug report: ${(error as Error).message}\n`, exitCode: 1, report };
  }
}

/**
 * The app's own `<app> telemetry bug-report` subcommand: the configuration exactly as the app
 * resolves it (its defaults included) and its local history, written into the current folder, with
 * the listing of what it contains. With `json`, the output is the report itself (and the path is in
 * the result only), so it can be piped.
 */
export function bugReportFromTelemetry(telemetry: BugReportSource, options: BugReportCommandOptions & { readonly version?: string } = {}): BugReportCommandResult {
  const status = telemetry.status();
  const report = createBugReport({
    app: telemetry.app,
    version: options.version ?? telemetry.version ?? 'unknown',
    status,
    historyDir: status.paths ? historyDirOf(status.paths.stateDir) : undefined,
    days: options.days,
    now: options.now,
  });
  return finish(report, options);
}

/** Options of `optel bug-report <app>`. */
export interface RunBugReportOptions extends BugReportCommandOptions {
  readonly app: string;
  /** Where the project settings are looked up from, and (unless `dir`) where the report is written. */
  readonly cwd: string;
  /** Environment to resolve with (default `process.env`). */
  readonly env?: Env;
  /** The telemetry state directory (default `$XDG_STATE_HOME/<app>/telemetry`). */
  readonly stateDir?: string;
  /** Overrides of the XDG locations and the admin policy file. */
  readonly paths?: PathOverrides;
  /** The app's version, if the user knows it (default `unknown`). */
  readonly version?: string;
}

/**
 * `optel bug-report <app>`, made outside the app: the configuration is resolved from the same layers
 * the app reads (kill switches, admin policy, environment, user choice, `.<app>/config.json` found
 * from `cwd`) except the app's own defaults, which only the app knows — the report says so, and an
 * app that offers `<app> telemetry bug-report` gives the complete picture.
 */
export function runBugReport(options: RunBugReportOptions): BugReportCommandResult {
  const paths = telemetryPaths(options.app, options.paths);
  const sources = {
    app: options.app,
    env: options.env ?? process.env,
    cwd: options.cwd,
    paths,
    projectFile: `.${options.app}/config.json`,
    defaults: {},
  };
  const { layers, killedBy } = readLayers(sources);
  const stateDir = options.stateDir ?? paths?.stateDir;
  const report = createBugReport({
    app: options.app,
    version: options.version ?? 'unknown',
    status: { config: resolveConfig(layers, killedBy) },
    historyDir: stateDir ? historyDirOf(stateDir) : undefined,
    appDefaultsKnown: false,
    days: options.days,
    now: options.now,
  });
  return finish(report, { ...options, dir: options.dir ?? options.cwd });
}
