import { diagLog } from '../diag.js';
import { appendToSpool, DEFAULT_SPOOL_CAP_BYTES, type AppendResult } from '../spool/append.js';
import type { Override } from '../config/resolve.js';
import type { Flush } from '../config/settings.js';
import { DELIVERY_GRACE_MS, windowOf } from '../spool/window.js';
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

/** How long before a window ends a process that is still running writes the records it made in it. */
const WINDOW_WRITE_AHEAD_MS = 5_000;

/** Records written one by one after the exit write (made in a host's own exit listener) before the rest are dropped. */
const MAX_EXIT_WRITES = 10;

/**
 * The short-lived-process recorder: `record()` only appends to an array (no OTel SDK is loaded), and
 * the buffer is written to the spool synchronously when the process ends — normal exit,
 * `process.exit()`, an uncaught error, SIGINT, SIGTERM or SIGHUP — so nothing touches the network on exit.
 * Past `EARLY_WRITE_RECORDS` it is also written as soon as the host's current work yields (never
 * inside `record()`), so memory stays bounded however long the process lives.
 */
export function createSpoolRecorder(options: SpoolRecorderOptions): Recorder {
  let buffer: EventRecord[] = [];
  let early: NodeJS.Immediate | undefined;
  // Due shortly before the buffered records' window ends (hourly or daily flush), then once it has
  // ended, to start the sender for what that write left (nothing is deliverable before).
  let windowDue: NodeJS.Timeout | undefined;
  let deliveryDue: NodeJS.Timeout | undefined;
  let written: AppendResult | undefined;
  const cancelEarly = () => {
    if (early) clearImmediate(early);
    early = undefined;
    if (windowDue) clearTimeout(windowDue);
    windowDue = undefined;
  };
  /** A long-lived process (a watch mode, a stdio MCP server) writes what it holds before the window ends, so its sender delivers it with that window. */
  const writeBeforeWindowEnds = (time: number) => {
    const window = options.flush ? windowOf(time, options.flush) : undefined;
    if (window === undefined) return;
    let end = window.end;
    // Too late for this window: written before the next one ends, as part of it.
    if (end - WINDOW_WRITE_AHEAD_MS <= time) end += window.end - window.start;
    windowDue = setTimeout(() => {
      write();
      const result = written;
      // Once the window has ended (and its grace passed), by the same clock the write was timed by;
      // a later write (a flush, the next window's) does not cancel it, as it cannot start a sender for it.
      if (result === undefined) return;
      if (deliveryDue) clearTimeout(deliveryDue);
      deliveryDue = setTimeout(() => {
        try {
          options.afterWrite(result);
        } catch (error) {
          diagLog('warn', `could not start delivery of the window that ended: ${(error as Error).message}`);
        }
      }, WINDOW_WRITE_AHEAD_MS + DELIVERY_GRACE_MS + 1_000).unref();
    }, end - WINDOW_WRITE_AHEAD_MS - time).unref();
  };

  const write = () => {
    cancelEarly();
    written = undefined;
    if (buffer.length === 0) return;
    let records = buffer;
    buffer = [];
    try {
      if (options.stillConsented) {
        const allowed = options.stillConsented();
        records = keepTiers(records, (t) => allowed[t]);
      }
      if (records.length === 0) return;
      options.onWrite?.(records);
      const descriptions: Record<string, string> = {};
      for (const r of records) descriptions[r.name] ??= options.describe(r.name) ?? '';
      const header: SpoolHeader = {
        optel: 1,
        app: options.app,
        version: options.version,
        installationId: options.installationId(),
        // The time of writing, never of recording: a file of a window exists before that window
        // ends, or it joins the current one (a sender may have delivered the ended one already).
        at: Date.now(),
        descriptions,
        ...(options.overridden ? { overridden: options.overridden } : {}),
      };
      written = appendToSpool(options.spoolDir, header, records, options.capBytes ?? DEFAULT_SPOOL_CAP_BYTES);
      options.afterWrite(written);
    } catch (error) {
      // A read-only or full disk must not break the host: the records are lost, and diag says so.
      diagLog('warn', `could not spool ${records.length} records: ${(error as Error).message}`);
    }
  };

  let unhook: (() => void) | undefined;
  const release = () => {
    unhook?.();
    unhook = undefined;
    if (deliveryDue) clearTimeout(deliveryDue);
    deliveryDue = undefined;
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
      // Unref'd timers: a pending write never keeps the process alive (the exit hook writes instead).
      if (buffer.length === 0) writeBeforeWindowEnds(record.time);
      buffer.push(record);
      unhook ??= atProcessEnd('write', write);
      if (buffer.length >= EARLY_WRITE_RECORDS && early === undefined) early = setImmediate(write).unref();
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

