/** What `containImport` holds while a module is imported. */
export interface Containment {
  /** Rejects, with a one-line reason, once the module calls `process.exit()` or throws from a callback. */
  readonly failed: Promise<never>;
  /** Puts stdout, `process.exit` and uncaught errors back as they were. */
  release(): void;
}

const EXIT = 'it called process.exit() while being imported (a catalog module must have no side effects)';

/**
 * Keeps what a module does while it is imported off the command's own channels, until `release`:
 * what it prints on stdout goes to stderr (stdout carries the generated output: `optel docs
 * catalog.mjs > TELEMETRY.md`); `process.exit()` throws instead of ending the command with the
 * module's exit code and nothing written; and that throw, or any error, from a timer or callback of
 * the module fails the import through `failed` rather than crashing with a stack trace.
 */
export function containImport(): Containment {
  const { exit } = process;
  const { write } = process.stdout;
  let fail: (error: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  // Nobody may be waiting any more when a late callback fails.
  failed.catch(() => {});
  const exited = new Error(EXIT);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  process.exit = (() => {
    fail(exited);
    // Thrown too, so the module's code after the call does not run on.
    throw exited;
  }) as typeof process.exit;
  const uncaught = (error: unknown) => fail(error instanceof Error ? error : new Error(describe(error)));
  process.on('uncaughtException', uncaught);
  return {
    failed,
    release() {
      process.exit = exit;
      process.stdout.write = write;
      process.off('uncaughtException', uncaught);
    },
  };
}

/**
 * For a one-shot command, once its catalog is loaded: the module's timers outlive its import, and a
 * later process.exit() must not end the command before its output is written. It says so instead,
 * and the command fails. Not for a worker thread, where Node itself ends the thread that way.
 */
export function refuseLateExit(): void {
  process.exit = (() => {
    process.stderr.write('optel: the catalog module called process.exit() after it was loaded; ignored\n');
    process.exitCode = 1;
  }) as typeof process.exit;
}

/** A thrown value as text, whatever it is (`Object.create(null)` has no string form). */
function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'a value that cannot be shown';
  }
}
