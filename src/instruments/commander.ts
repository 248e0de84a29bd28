import type { Catalog, EventAttributes, TimedEventName } from '../semconv/catalog.js';
import { runTelemetryCommand, TELEMETRY_ACTIONS, type CommandResult } from './consent-command.js';
import { errorClass } from './error-class.js';
import type { Telemetry } from './telemetry.js';
import { eventProblem, telemetryProblem } from './wiring-problem.js';
import { constants } from 'node:os';
import { diagLog } from '../diag.js';
import { atProcessEnd, type ProcessEnd } from '../recorder/process-end.js';

/**
 * The part of a commander `Command` (versions 12 to 14) optel uses, typed structurally: a host's own
 * commander, whichever of those versions, type-checks against it (optel's copy is not the host's).
 */
export interface CommanderProgram {
  name(): string;
  readonly parent: CommanderProgram | null;
  parse(argv?: readonly string[], parseOptions?: object): unknown;
  parseAsync(argv?: readonly string[], parseOptions?: object): Promise<unknown>;
  hook(event: 'preAction' | 'postAction', listener: (thisCommand: CommanderProgram, actionCommand: CommanderProgram) => void | Promise<void>): unknown;
  command(nameAndArgs: string): CommanderProgram;
  readonly commands: readonly CommanderProgram[];
  aliases?(): string[];
  description(text: string): this;
  argument(name: string, description?: string): this;
  option(flags: string, description?: string): this;
  allowExcessArguments(allowExcess?: boolean): this;
  action(fn: (...args: any[]) => void | Promise<void>): this;
  configureOutput(): { writeOut?(text: string): void; writeErr?(text: string): void };
  error(message: string, errorOptions?: { code?: string; exitCode?: number }): never;
}

/** How a commander program is instrumented. */
export interface CommanderOptions<C extends Catalog, N extends TimedEventName<C>> {
  /** The timed event recorded once per command run, e.g. `todo.cli.invoked`. */
  readonly event: N;
  /** Attribute of the event that receives the command path (`add`, `remote add`); default `cli.command`. */
  readonly commandAttribute?: Extract<keyof EventAttributes<C, N>, string>;
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
function answer(command: CommanderProgram, result: CommandResult): void {
  if (result.exitCode === 2) command.error(`error: ${result.output.trimEnd()}`, { code: 'optel.telemetry.usage' });
  const output = command.configureOutput();
  (result.exitCode === 0 ? output.writeOut : output.writeErr)?.(result.output);
  if (result.exitCode !== 0) process.exitCode = result.exitCode;
}

function commandPath(command: CommanderProgram): string {
  const names: string[] = [];
  for (let c: CommanderProgram | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

let lastError: unknown;
let errorsWatched = false;

/** Once per process, however many programs are instrumented (each would otherwise add a listener). */
function watchErrors(): void {
  if (errorsWatched) return;
  errorsWatched = true;
  process.on('uncaughtExceptionMonitor', (error) => {
    lastError = error;
  });
}

// Marks a program already instrumented, so a second call cannot count every run twice.
const INSTRUMENTED = Symbol.for('optel.commander.instrumented');

/** What a run cut short by a signal is recorded as: interrupted (`AbortError`), exit code 128 + the signal's number. */
const INTERRUPTED = { name: 'AbortError' };
/**
 * Moves `listener` to the front of the program's `event` hooks. A host's own preAction hook that
 * throws (a login check) stops the hooks after it, and a run stopped there is one worth counting.
 * Commander keeps its hooks in a field it does not document (`_lifeCycleHooks`, unchanged since
 * commander 8); where it is missing, the listener stays where `hook` put it.
 */
function runFirst(program: CommanderProgram, event: 'preAction', listener: unknown): void {
  const hooks = (program as { _lifeCycleHooks?: Record<string, unknown> })._lifeCycleHooks?.[event];
  if (Array.isArray(hooks) && hooks.at(-1) === listener) hooks.unshift(hooks.pop());
}

const signalExitCode = (signal: NodeJS.Signals) => 128 + (constants.signals[signal] ?? 0);

/**
 * Instruments every command of a commander program with one call: each run records the event with
 * its command path, duration, success, closed error class and exit code. Runs that end in
 * `process.exit()`, an uncaught error or a signal that ends the process (recorded as interrupted,
 * `AbortError`, 128 + its number) are recorded at exit; hook order never changes the host's
 * behaviour, and nothing is printed except by the `telemetry` subcommand the user runs (whose own
 * runs are not recorded). Arguments that are not what the types say leave the program as it is, with
 * a diag warning, whatever the consent; only a wrong `event` still gets the `telemetry` command, which
 * the first-run notice tells users to run to opt out.
 */
export function instrumentCommander<C extends Catalog, N extends TimedEventName<C>, P extends CommanderProgram = CommanderProgram>(
  program: P,
  telemetry: Telemetry<C>,
  options: CommanderOptions<C, N>,
): P {
  const p = program as CommanderProgram;
  const problem = typeof p?.hook !== 'function' || typeof p.parse !== 'function' || typeof p.command !== 'function'
    ? 'the first argument must be a commander Command'
    : telemetryProblem(telemetry);
  if (problem !== undefined) {
    diagLog('warn', `instrumentCommander(program, telemetry, { event }): ${problem}; the program is left as it is`);
    return program;
  }
  const marks = p as unknown as Record<symbol, boolean>;
  if (marks[INSTRUMENTED]) {
    diagLog('warn', 'instrumentCommander: this program is already instrumented; each run would be counted twice');
    return program;
  }
  marks[INSTRUMENTED] = true;
  // The notice tells users to run `<app> telemetry off`: that command is added whatever else is wrong.
  const telemetryCommand = addTelemetryCommand(p, telemetry, (options as Partial<CommanderOptions<C, N>> | null | undefined)?.telemetryCommand);
  const runsProblem = eventProblem(telemetry, options);
  if (runsProblem !== undefined) {
    diagLog('warn', `instrumentCommander(program, telemetry, { event }): ${runsProblem}; runs are not recorded, but the \`telemetry\` command is added so users can still opt out`);
    return program;
  }
  recordRuns(p, telemetry, options, telemetryCommand);
  return program;
}

/**
 * Adds the `telemetry` command (status, on, off, reset-id, bug-report) unless `wanted` is false or
 * the host has its own; returns it, so its runs are not recorded as usage.
 */
function addTelemetryCommand<C extends Catalog>(p: CommanderProgram, telemetry: Telemetry<C>, wanted: boolean | undefined): CommanderProgram | undefined {
  // A host with a `telemetry` command of its own keeps it: adding ours would make commander throw.
  const named = (c: CommanderProgram) => c.name() === 'telemetry' || (Array.isArray(c.aliases?.()) && c.aliases!().includes('telemetry'));
  const hostHasOne = Array.isArray(p.commands) && p.commands.some(named);
  if (wanted === false) return undefined;
  if (hostHasOne) {
    diagLog('warn', 'instrumentCommander: the program has a `telemetry` command of its own; optel\'s is not added (telemetryCommand: false says so)');
    return undefined;
  }
  const command = p.command('telemetry').description(`show or change ${telemetry.app}'s usage telemetry`);
  // One subcommand each, so that commander itself refuses what an action does not take (reset-id
  // extra, status --json) in the words and with the exit code it uses for the host's own commands.
  // Commander 12 lets excess arguments through by default, hence allowExcessArguments(false).
  for (const [action, { tiers, summary }] of Object.entries(TELEMETRY_ACTIONS)) {
    const sub = command.command(action).description(summary).allowExcessArguments(false);
    if (tiers) sub.argument('[tiers...]', 'metrics, events, traces or all');
    sub.action((...args: unknown[]) => answer(args.at(-1) as CommanderProgram, runTelemetryCommand(telemetry, action, tiers ? (args[0] as string[]) : [])));
  }
  command
    .command('bug-report')
    .description('write a bug-report archive of the local history and the resolved configuration here')
    .option('--dry-run', 'list what it would contain; write nothing')
    .option('--json', 'print the whole report as JSON')
    .allowExcessArguments(false)
    .action(async (opts: { dryRun?: boolean; json?: boolean }, command: CommanderProgram) => {
      // Loaded only when asked for: bug reports need zlib and the history reader.
      const { bugReportFromTelemetry } = await import('../bug-report/command.js');
      answer(command, bugReportFromTelemetry(telemetry, { dir: process.cwd(), json: opts.json === true, dryRun: opts.dryRun === true }));
    });
  return command;
}

/** Records each run of the program's commands (not of `telemetryCommand`'s) as `options.event`. */
function recordRuns<C extends Catalog, N extends TimedEventName<C>>(
  p: CommanderProgram, telemetry: Telemetry<C>, options: CommanderOptions<C, N>, telemetryCommand: CommanderProgram | undefined,
): void {
  const key = options.commandAttribute ?? 'cli.command';
  // A run fails when it leaves a non-zero exit code it did not start with: a host that parses more
  // than once (a REPL, tests) may have set one for an earlier run. One case stays ambiguous: a run
  // that sets the very code an earlier run left reads as a success (process.exitCode cannot be
  // watched: its property is not configurable), which is the rarer mistake of the two.
  let running: { command: string; start: number; exitCodeBefore: unknown; errorBefore: unknown } | undefined;
  const exitCodeOf = (code: unknown) => (typeof code === 'number' && code !== 0 ? code : undefined);
  const failedCode = () => (running && process.exitCode !== running.exitCodeBefore ? exitCodeOf(process.exitCode) : undefined);
  // An uncaught error this run met, not one an earlier run left.
  const runError = () => (running && lastError !== running.errorBefore ? lastError : undefined);

  // Hooked on the process only while a run goes on and telemetry is on: off leaves the host's signal
  // handling exactly as it was.
  let unhookEnd: (() => void) | undefined;
  const finish = (success: boolean, error?: unknown, exitCode?: number) => {
    unhookEnd?.();
    unhookEnd = undefined;
    if (!running) return;
    const { command, start } = running;
    running = undefined;
    const attrs = { ...options.attributes, [key]: command } as EventAttributes<C, N>;
    const outcome = success ? { success, exitCode: 0 } : { success, exitCode: exitCode ?? 1, errorType: errorClass(error) };
    telemetry.track(options.event, attrs, { durationMs: performance.now() - start, outcome });
  };

  // Before the recorder writes: a run still going when the process ends (process.exit(), an uncaught
  // error, or a signal that ends it: Ctrl+C, SIGTERM, SIGHUP) is recorded with how it ended. A signal the host
  // listens for is the host's to act on: the run goes on to its own end, recorded then.
  const endOfProcess = ({ code, signal, hostListens }: ProcessEnd) => {
    if (!running || (signal !== undefined && hostListens)) return;
    if (signal !== undefined) return finish(false, INTERRUPTED, signalExitCode(signal));
    finish(code === 0, runError(), exitCodeOf(code));
  };

  // Errors thrown by actions surface from parse/parseAsync; wrapping this instance's methods is the
  // one place to see their class without changing what the host receives.
  const parseAsync = p.parseAsync.bind(p);
  p.parseAsync = async (...args) => {
    try {
      return await parseAsync(...args);
    } catch (error) {
      finish(false, error, failedCode());
      throw error;
    }
  };
  const parse = p.parse.bind(p);
  p.parse = (...args) => {
    try {
      return parse(...args);
    } catch (error) {
      finish(false, error, failedCode());
      throw error;
    }
  };

  const started = (_root: CommanderProgram, action: CommanderProgram) => {
    // Looking at or changing one's telemetry settings is not usage to report (and must not be the run that starts it).
    if (telemetryCommand !== undefined && action.parent === telemetryCommand) return;
    running = { command: commandPath(action), start: performance.now(), exitCodeBefore: process.exitCode, errorBefore: lastError };
    telemetry.commandUsed(running.command);
    if (telemetry.config.enabled) unhookEnd ??= atProcessEnd('record', endOfProcess);
  };
  p.hook('preAction', started);
  runFirst(p, 'preAction', started);
  p.hook('postAction', () => {
    const code = failedCode();
    finish(code === undefined, runError(), code);
  });
  watchErrors();
}

