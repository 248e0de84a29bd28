/** What `containImport` holds while a module is imported. */
export interface Containment {
  /** Rejects, with a one-line reason, once the module calls `process.exit()` or throws from a callback. */
  readonly failed: Promise<never>;
  /**
   * Puts stdout back; `process.exit` and uncaught errors too, unless the containment was asked to
   * outlive the import. Returns what failed the import, if anything did (also after it settled).
   */
  release(): Error | undefined;
}

const EXIT = 'it called process.exit() while being imported (a catalog module must have no side effects)';

/**
 * Keeps what a module does while it is imported off the command's own channels, until `release`:
 * what it prints on stdout goes to stderr (stdout carries the generated output: `optel docs
 * catalog.mjs > TELEMETRY.md`); `process.exit()` throws instead of ending the command with the
 * module's exit code and nothing written; and that throw, or any error, from a timer or callback of
 * the module fails the import through `failed` rather than crashing with a stack trace.
 *
 * `outlive`, for a one-shot command: the module's timers and callbacks outlive its import, so from
 * `release` on, its `process.exit()` still throws and its errors do not crash the command; each
 * fails it with one line while the output is written whole. Not for a worker thread, where Node
 * itself ends the thread through `process.exit()`.
 */
export function containImport(outlive = false): Containment {
  const { exit } = process;
  const { write } = process.stdout;
  let loaded = false;
  let failure: Error | undefined;
  let reject: (error: Error) => void = () => {};
  const failed = new Promise<never>((_, r) => {
    reject = r;
  });
  const fail = (error: Error) => {
    failure ??= error;
    reject(error);
  };
  // Nobody may be waiting any more when a late callback fails.
  failed.catch(() => {});
  const exited = new Error(EXIT);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  process.exit = (() => {
    if (!loaded) fail(exited);
    // Thrown, so the module's code after the call does not run on.
    throw exited;
  }) as typeof process.exit;
  let said = false;
  const uncaught = (error: unknown) => {
    if (!loaded) return fail(error instanceof Error ? error : new Error(describe(error)));
    process.exitCode = 1;
    if (said) return;
    said = true;
    const what = error === exited ? 'called process.exit()' : `threw (${describe(error instanceof Error ? error.message : error).split('\n')[0]})`;
    process.stderr.write(`optel: the catalog module ${what} after it was loaded; ignored\n`);
  };
  process.on('uncaughtException', uncaught);
  return {
    failed,
    release() {
      loaded = true;
      process.stdout.write = write;
      if (!outlive) {
        process.exit = exit;
        process.off('uncaughtException', uncaught);
      }
      return failure;
    },
  };
}

/** A thrown value as text, whatever it is (`Object.create(null)` has no string form). */
function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'a value that cannot be shown';
  }
}
