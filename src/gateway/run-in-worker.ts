import { Worker } from 'node:worker_threads';
import { untilStopped } from '../cli/until-stopped.js';
import type { RunGatewayOptions } from './run-gateway.js';

/** The command-line options `runGateway` takes that can cross into a worker (strings, numbers, booleans). */
export type GatewayCommandOptions = Omit<RunGatewayOptions, 'signal' | 'stdout' | 'stderr' | 'advanced'>;

/**
 * Young generation given to the gateway's heap by default, in MiB (V8's own default is about 48).
 * Every request is decoded into short-lived objects; with the default nursery the scavenger runs
 * so often that objects still in use are copied again and again, which cost the gateway a third
 * of its throughput on large exports (bench/RESULTS.md). Memory is cheap next to that.
 */
const DEFAULT_YOUNG_GENERATION_MB = 192;

/**
 * Runs `optel gateway` in a worker thread, the one place Node lets a running process size a new
 * heap (`resourceLimits`), so the command needs no `node --max-semi-space-size` from its users.
 * SIGINT/SIGTERM reach this thread and are passed on as a stop; output flows through unchanged.
 * Resolves with the command's exit code. `youngGenerationMb` 0 keeps V8's default.
 */
export async function runGatewayInWorker(options: GatewayCommandOptions, youngGenerationMb = DEFAULT_YOUNG_GENERATION_MB): Promise<number> {
  const worker = new Worker(new URL('./worker-entry.js', import.meta.url), {
    workerData: options,
    ...(youngGenerationMb > 0 ? { resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb } } : {}),
  });
  let code: number | undefined;
  let exited = false;
  worker.on('message', (message: { exitCode?: number }) => {
    if (typeof message.exitCode !== 'number') return;
    code = message.exitCode;
    // The command is over; whatever the catalog module left running must not keep the thread alive.
    void worker.terminate();
  });
  const done = new AbortController();
  void untilStopped(done.signal).then(() => {
    if (!exited) worker.postMessage('stop');
  });
  return new Promise((resolve) => {
    worker.once('error', (err) => {
      // One line, like every other failure of the command (an error thrown later by the catalog module lands here).
      process.stderr.write(`optel gateway: stopped by an uncaught error: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}\n`);
      code = 1;
    });
    worker.once('exit', () => {
      exited = true;
      done.abort(); // releases the signal handlers, so nothing outlives the command
      if (code === undefined) {
        // The thread ended without the command's answer: something in it called process.exit().
        process.stderr.write('optel gateway: stopped: its thread ended on its own (did the catalog module call process.exit()?)\n');
        code = 1;
      }
      resolve(code);
    });
  });
}
