import type { Deliverable, ResolvedConfig } from '../config/resolve.js';
import { inBackoff } from '../spool/backoff.js';
import { hasDeliverableFiles } from '../spool/pending.js';
import { deliverUntilEmpty, type FallbackIdentity } from './deliver.js';
import type { TextSink } from './console-exporters.js';

/** What a long-running process needs to deliver what short-lived runs of the same app spooled. */
export interface SpoolPumpOptions {
  readonly spoolDir: string;
  readonly config: ResolvedConfig;
  /** The tiers spooled records may be delivered in now (see `deliverableTiers`): asked on every round, as consent may change while a daemon runs. */
  readonly tiers: () => Deliverable;
  readonly fallback: FallbackIdentity;
  readonly stderr: TextSink;
  /** How often to look, default the metric export interval. */
  readonly intervalMs?: number;
  /** The app's spool cap, for re-queueing what fails (default 4 MiB). */
  readonly capBytes?: number;
}

/**
 * Delivers the app's spool from inside a daemon, now and then on an unref'd timer (it never keeps
 * the process alive), so CLI runs on a machine where the daemon lives need no sender process.
 * Returns a stop function.
 */
export function startSpoolPump(options: SpoolPumpOptions): () => void {
  let running = false;
  const tick = () => {
    if (running || inBackoff(options.spoolDir) || !hasDeliverableFiles(options.spoolDir, options.config.flush)) return;
    running = true;
    // tiers() reads the configuration files: inside the chain, so nothing it throws reaches the host.
    Promise.resolve()
      .then(() => deliverUntilEmpty({ spoolDir: options.spoolDir, config: options.config, tiers: options.tiers(), stillAllowed: options.tiers, fallback: options.fallback, stderr: options.stderr, capBytes: options.capBytes }))
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? options.config.export.metricIntervalMs);
  // A telemetry timer must never be the reason a daemon stays up.
  timer.unref();
  return () => clearInterval(timer);
}
