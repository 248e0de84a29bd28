import type { Command } from 'commander';
import type { Catalog, EventAttributes, TimedEventName } from '../semconv/catalog.js';
import { runTelemetryCommand, TELEMETRY_ACTIONS, type CommandResult } from './consent-command.js';
import { errorClass } from './error-class.js';
import type { Telemetry } from './telemetry.js';

/** How a commander program is instrumented. */
export interface CommanderOptions<C extends Catalog, N extends TimedEventName<C>> {
  /** The timed event recorded once per command run, e.g. `todo.cli.invoked`. */
  readonly event: N;
  /** Attribute that receives the command path (`add`, `remote add`); default `cli.command`. */
  readonly commandAttribute?: string;
  /** Attributes added to every run. */
  readonly attributes?: EventAttributes<C, N>;
  /** Adds the ready-made `telemetry status|on|off|reset-id|bug-report` subcommand (default true); its runs are never recorded. */
  readonly telemetryCommand?: boolean;
}

/**
 * Prints a subcommand's answer through the host's own commander output configuration (stdout unless
 * the host redirected it; optel never writes it itself). A usage error goes through commander's
 * `error()`, so it reads and exits like commander's own (and honours the host's exitOverride); any
 * other refusal takes the error channel with its exit code.
 */
function answer(command: Command, result: CommandResult): void {
  if (result.exitCode === 2) command.error(`error: ${result.output.trimEnd()}`, { code: 'optel.telemetry.usage' });
  const output = command.configureOutput();
  (result.exitCode === 0 ? output.writeOut : output.writeErr)?.(result.output);
  if (result.exitCode !== 0) process.exitCode = result.exitCode;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Instruments every command of a commander program with one call: each run records the event with
 * its command path, duration, success, closed error class and exit code. Runs that end in
 * `process.exit()` or an uncaught error are recorded at exit; hook order never changes the host's
 * behaviour, and nothing is printed except by the `telemetry` subcommand the user runs (whose own
 * runs are not recorded).
 */
export function instrumentCommander<C extends Catalog, N extends TimedEventName<C>>(
  program: Command,
  telemetry: Telemetry<C>,
  options: CommanderOptions<C, N>,
): Command {
  const key = options.commandAttribute ?? 'cli.command';
  let running: { command: string; start: number } | undefined;
  let lastError: unknown;

  const finish = (success: boolean, error?: unknown) => {
    if (!running) return;
    const { command, start } = running;
    running = undefined;
    const attrs = { ...options.attributes, [key]: command } as EventAttributes<C, N>;
    const exitCode = success ? 0 : typeof process.exitCode === 'number' && process.exitCode !== 0 ? process.exitCode : 1;
    const outcome = success ? { success, exitCode } : { success, exitCode, errorType: errorClass(error) };
    telemetry.track(options.event, attrs, { durationMs: performance.now() - start, outcome });
  };

  // Errors thrown by actions surface from parse/parseAsync; wrapping this instance's methods is the
  // one place to see their class without changing what the host receives.
  const parseAsync = program.parseAsync.bind(program);
  program.parseAsync = async (...args: Parameters<Command['parseAsync']>) => {
    try {
      return await parseAsync(...args);
    } catch (error) {
      finish(false, error);
      throw error;
    }
  };
  const parse = program.parse.bind(program);
  program.parse = (...args: Parameters<Command['parse']>) => {
    try {
      return parse(...args);
    } catch (error) {
      finish(false, error);
      throw error;
    }
  };

  let telemetryCommand: Command | undefined;
  program.hook('preAction', (_root, action) => {
    // Looking at or changing one's telemetry settings is not usage to report (and must not be the run that starts it).
    if (telemetryCommand !== undefined && action.parent === telemetryCommand) return;
    running = { command: commandPath(action), start: performance.now() };
    telemetry.commandUsed(running.command);
  });
  program.hook('postAction', () => {
    const failed = typeof process.exitCode === 'number' && process.exitCode !== 0;
    finish(!failed, failed ? lastError : undefined);
  });
  process.on('uncaughtExceptionMonitor', (error) => {
    lastError = error;
  });
  // Registered now, so it runs before the recorder writes the spool on exit.
  process.on('exit', (code) => {
    if (!running) return;
    finish(code === 0, lastError);
    void telemetry.flush();
  });

  if (options.telemetryCommand !== false) {
    telemetryCommand = program.command('telemetry').description(`show or change ${telemetry.app}'s usage telemetry`);
    // One subcommand each, so that commander itself refuses what an action does not take (reset-id
    // extra, status --json) in the words and with the exit code it uses for the host's own commands.
    // Commander 12 lets excess arguments through by default, hence allowExcessArguments(false).
    for (const [action, { tiers, summary }] of Object.entries(TELEMETRY_ACTIONS)) {
      const sub = telemetryCommand.command(action).description(summary).allowExcessArguments(false);
      if (tiers) sub.argument('[tiers...]', 'metrics, events, traces or all');
      sub.action((...args: unknown[]) => answer(args.at(-1) as Command, runTelemetryCommand(telemetry, action, tiers ? (args[0] as string[]) : [])));
    }
    telemetryCommand
      .command('bug-report')
      .description('write a bug-report archive of the local history and the resolved configuration here')
      .option('--dry-run', 'list what it would contain; write nothing')
      .option('--json', 'print the whole report as JSON')
      .allowExcessArguments(false)
      .action(async (opts: { dryRun?: boolean; json?: boolean }, command: Command) => {
        // Loaded only when asked for: bug reports need zlib and the history reader.
        const { bugReportFromTelemetry } = await import('../bug-report/command.js');
        answer(command, bugReportFromTelemetry(telemetry, { dir: process.cwd(), json: opts.json === true, dryRun: opts.dryRun === true }));
      });
  }
  return program;
}
