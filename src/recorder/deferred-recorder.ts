import { diagLog } from '../diag.js';
import { TIERS } from '../semconv/attributes.js';
import { keepTiers, type EventRecord, type Recorder } from './event-record.js';

const MAX_PENDING = 10_000;

/**
 * Lets `track()` stay synchronous while a recorder loads asynchronously (a daemon imports the OTel
 * SDK on demand): records wait in a bounded buffer and are handed over once it is ready.
 */
export function createDeferredRecorder(loading: Promise<Recorder>, onReady?: (recorder: Recorder) => void): Recorder {
  let target: Recorder | undefined;
  let pending: EventRecord[] = [];
  let overflow = 0;
  const ready = loading.then(
    (recorder) => {
      target = recorder;
      for (const r of pending) recorder.record(r);
      pending = [];
      if (overflow > 0) diagLog('warn', `dropped ${overflow} records while the exporter was loading`);
      onReady?.(recorder);
      return recorder;
    },
    (error: unknown) => {
      diagLog('error', `telemetry export could not start: ${(error as Error).message}`);
      pending = [];
      return undefined;
    },
  );
  let closed: Promise<void> | undefined;
  let discarded = false;
  return {
    record(record) {
      if (discarded) return;
      if (target) target.record(record);
      else if (pending.length < MAX_PENDING) pending.push(record);
      else overflow++;
    },
    flush: async () => {
      await (await ready)?.flush();
    },
    shutdown() {
      closed ??= ready.then((r) => r?.shutdown());
      return closed;
    },
    discard(tiers = TIERS) {
      discarded = true;
      pending = keepTiers(pending, (t) => !tiers.includes(t));
      void ready.then((r) => r?.discard(tiers));
    },
  };
}
