// Taken before any catalog module is imported: a one-shot command's containment leaves process.exit() refusing for good.
const exit = process.exit.bind(process);

/**
 * Ends the command once stdout and stderr have taken all it wrote (each write's callback, a pipe's
 * drain included): whatever a catalog module left running, a timer or a server, must not keep a
 * one-shot command alive, and exiting before a slow reader took the output would cut it short.
 * Exits with `process.exitCode`.
 */
export async function exitWhenWritten(): Promise<never> {
  // One turn of the event loop first: a rejection left unhandled in this turn (a catalog module's
  // callback) is only reported after it, and it must fail the command before the exit code is read.
  await new Promise((resolve) => setImmediate(resolve));
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => {
    // Callbacks run in order: this one once everything before it is written, or has failed.
    if (stream.destroyed) resolve();
    else stream.write('', () => resolve());
  })));
  return exit();
}
