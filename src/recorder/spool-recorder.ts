import { diagLog } from '../diag.js';
import { appendToSpool, DEFAULT_SPOOL_CAP_BYTES, type AppendResult } from '../spool/append.js';
import type { Override } from '../config/resolve.js';
import type { Flush } from '../config/settings.js';
import { windowOf } from '../spool/window.js';
import type { SpoolHeader } from '../spool/format.js';
import { TIERS, type Tier } from '../semconv/attributes.js';
import { keepTiers, type EventRecord, type Recorder } from './event-record.js';
import { atProcessEnd, processExiting } from './process-end.js';

/** What the CLI recorder needs from its owner; everything that touches disk is called only at exit. */
export interface SpoolRecorderOptions {
  readonly app: string;
  readonly version: string;
  readonly spoolDir: string;
  readonly capBytes?: number;
  /** The installation id, created on first write. */
  readonly installationId: () => string;
  /** Descriptions of events, for the instruments the sender creates. */
  readonly describe: (name: string) => string | undefined;
  /** Runs after records are safely spooled (with the spool as it now is): first-run notice, starting a sender. */
  readonly afterWrite: (result: AppendResult) => void;
  /** Also keeps the records in the local history (for bug reports; never sent). Must not throw. */
  readonly onWrite?: (records: readonly EventRecord[]) => void;
  /**
   * The tiers consent still allows, read again at exit: a tier withdrawn while the process ran
   * (`telemetry off` in another shell, a new admin policy) is not spooled, so off stays off on disk too.
   */
  readonly stillConsented?: () => Readonly<Record<Tier, boolean>>;
  /** What this process records against the user's stored "off" (see `Override`), for the spool header. */
  readonly overridden?: Override;
  /** The delivery window size: records of different windows go in different files, stamped with their own. */
  readonly flush?: Flush;
}

/**
 * Records held before they are spooled without waiting for the exit. A CLI run rarely makes this
 * many; a long-lived process in CLI mode (a stdio MCP server) would otherwise keep every record of
 * its session in memory and write them all at once when it ends.
 */
export const EARLY_WRITE_RECORDS = 1000;

/** Records written one by one after the exit write (made in a host's own exit listener) before the rest are dropped. */
const MAX_EXIT_WRITES = 10;

/**
 * The short-lived-process recorder: `record()` only appends to an array (no OTel SDK is loaded), and
 * the buffer is written to the spool synchronously when the process ends — normal exit,
 * `process.exit()`, an uncaught error, SIGINT or SIGTERM — so nothing touches the network on exit.
 * Past `EARLY_WRITE_RECORDS` it is also written as soon as the host's current work yields (never
 * inside `record()`), so memory stays bounded however long the process lives.
 */
export function createSpoolRecorder(options: SpoolRecorderOptions): Recorder {
  let buffer: EventRecord[] = [];
  let early: NodeJS.Immediate | undefined;
  const cancelEarly = () => {
    if (early) clearImmediate(early);
    early = undefined;
  };

  // The start of the window the buffered records began in; a record of a later one writes them early.
  const windowStart = (time: number) => (options.flush ? windowOf(time, options.flush)?.start : undefined);
  let bufferWindow: number | undefined;

  /** Spools `records`, all of one window, in one file stamped with that window (its last record's time). */
  const spool = (records: EventRecord[]) => {
    const descriptions: Record<string, string> = {};
    for (const r of records) descriptions[r.name] ??= options.describe(r.name) ?? '';
    const header: SpoolHeader = {
      optel: 1,
      app: options.app,
      version: options.version,
      installationId: options.installationId(),
      at: windowStart(records[0]!.time) === undefined ? Date.now() : records[records.length - 1]!.time,
      descriptions,
      ...(options.overridden ? { overridden: options.overridden } : {}),
    };
    options.afterWrite(appendToSpool(options.spoolDir, header, records, options.capBytes ?? DEFAULT_SPOOL_CAP_BYTES));
  };

  const write = () => {
    cancelEarly();
    if (buffer.length === 0) return;
    let records = buffer;
    buffer = [];
    bufferWindow = undefined;
    try {
      if (options.stillConsented) {
        const allowed = options.stillConsented();
        records = keepTiers(records, (t) => allowed[t]);
      }
      if (records.length === 0) return;
      options.onWrite?.(records);
      for (const group of byWindow(records, windowStart)) spool(group);
    } catch (error) {
      // A read-only or full disk must not break the host: the records are lost, and diag says so.
      diagLog('warn', `could not spool ${records.length} records: ${(error as Error).message}`);
    }
  };

  let unhook: (() => void) | undefined;
  const release = () => {
    unhook?.();
    unhook = undefined;
  };

  let closed: Promise<void> | undefined;
  let exitWrites = 0;
  return {
    record(record) {
      if (closed) return diagLog('warn', `dropped "${record.name}": recorded after shutdown()`);
      // In a host's own 'exit' listener, after the exit write: written at once, as nothing runs
      // later; a file each, so only the first few, or the exit would wait on the disk.
      if (processExiting()) {
        if (exitWrites >= MAX_EXIT_WRITES) return diagLog('warn', `dropped "${record.name}": recorded while the process exits, past ${MAX_EXIT_WRITES} such records`);
        exitWrites++;
        buffer.push(record);
        return write();
      }
      if (buffer.length === 0) bufferWindow = windowStart(record.time);
      buffer.push(record);
      unhook ??= atProcessEnd('write', write);
      // A long-lived process (a watch mode, a stdio MCP server) passing into a new window writes the
      // last one's records, which its sender can deliver now, rather than stamping them at exit.
      const full = buffer.length >= EARLY_WRITE_RECORDS || windowStart(record.time) !== bufferWindow;
      // Unref'd: a pending early write never keeps the process alive (the exit hook writes instead).
      if (full && early === undefined) early = setImmediate(write).unref();
    },
    flush() {
      write();
      return Promise.resolve();
    },
    shutdown() {
      closed ??= (async () => {
        write();
        release();
      })();
      return closed;
    },
    discard(tiers = TIERS) {
      cancelEarly();
      buffer = keepTiers(buffer, (t) => !tiers.includes(t));
      write();
      release();
      closed ??= Promise.resolve();
    },
  };
}

/** `records` (in the order recorded) cut where their window changes; one group when there are no windows. */
function byWindow(records: EventRecord[], windowStart: (time: number) => number | undefined): EventRecord[][] {
  const groups: EventRecord[][] = [];
  let current: EventRecord[] = [];
  let start = windowStart(records[0]!.time);
  for (const record of records) {
    const next = windowStart(record.time);
    if (next !== start && current.length > 0) {
      groups.push(current);
      current = [];
    }
    start = next;
    current.push(record);
  }
  groups.push(current);
  return groups;
}
