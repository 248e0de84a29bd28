import { diagLog } from '../diag.js';
import type { Recorder } from './event-record.js';

/**
 * Debug mode: prints each record exactly as it would be sent (already redacted) to stderr and sends
 * nothing, so authors and users can see what leaves the machine.
 */
export function createDebugRecorder(app: string, write: (text: string) => void): Recorder {
  const done = Promise.resolve();
  let off = false;
  let closed = false;
  return {
    record(record) {
      // As every other recorder does: nothing is taken after shutdown() (and debug mode says so).
      if (closed) diagLog('warn', `dropped "${record.name}": recorded after shutdown()`);
      else if (!off) write(`[${app} telemetry] ${JSON.stringify(record)}\n`);
    },
    flush: () => done,
    shutdown: () => {
      closed = true;
      return done;
    },
    discard: () => {
      off = true;
    },
  };
}
