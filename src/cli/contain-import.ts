/**
 * Keeps what a module does while it is imported off the command's own channels, until the returned
 * function puts them back: what it prints on stdout goes to stderr (stdout carries the generated
 * output: `optel docs catalog.mjs > TELEMETRY.md`), and `process.exit()` throws instead of ending
 * the command with the module's exit code and nothing written.
 */
export function containImport(): () => void {
  const { exit } = process;
  const { write } = process.stdout;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  process.exit = (() => {
    throw new Error('it called process.exit() while being imported (a catalog module must have no side effects)');
  }) as typeof process.exit;
  return () => {
    process.exit = exit;
    process.stdout.write = write;
  };
}
