/**
 * Ends the command once stdout and stderr have taken all it wrote (each write's callback, a pipe's
 * drain included): whatever a catalog module left running, a timer or a server, must not keep a
 * one-shot command alive, and exiting before a slow reader took the output would cut it short.
 * Exits with `process.exitCode`.
 */
export async function exitWhenWritten(): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => {
    // Callbacks run in order: this one once everything before it is written, or has failed.
    if (stream.destroyed) resolve();
    else stream.write('', () => resolve());
  })));
  process.exit();
}
