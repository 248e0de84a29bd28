import type { Recorder } from './event-record.js';

/**
 * Debug mode: prints each record exactly as it would be sent (already redacted) to stderr and sends
 * nothing, so authors and users can see what leaves the machine.
 */
export function createDebugRecorder(app: string, write: (text: string) => void): Recorder {
  const done = Promise.resolve();
  let off = false;
  return {
    record(record) {
      if (!off) write(`[${app} telemetry] ${JSON.stringify(record)}\n`);
    },
    flush: () => done,
    shutdown: () => done,
    discard: () => {
      off = true;
    },
  };
}
