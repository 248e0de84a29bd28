import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TIERS, type Tier } from '../semconv/attributes.js';
import type { Deliverable, Override, ResolvedConfig } from '../config/resolve.js';
import { SIGNAL_OF_TIER, SIGNALS, type Signal } from '../config/settings.js';
import { diagLog } from '../diag.js';
import { errorClass } from '../instruments/error-class.js';
import { droppedRecord, keepTiers, type EventRecord } from '../recorder/event-record.js';
import { appendToSpool } from '../spool/append.js';
import type { SpoolHeader } from '../spool/format.js';
import { clearBackoff, recordFailure } from '../spool/backoff.js';
import { recoverAbandonedWrites } from '../spool/abandoned.js';
import { claimFiles, recoverStaleClaims, releaseClaim } from '../spool/claim.js';
import { acquireSenderLock, holdsSenderLock, refreshSenderLock, releaseSenderLock } from '../spool/lock.js';
import { readSpoolFile } from '../spool/read.js';
import { restampMisdatedFiles } from '../spool/restamp.js';
import { isDeliverable, windowOf } from '../spool/window.js';
import { graceLeft, hasDeliverableFiles } from '../spool/pending.js';
import { createExporters, type Exporters } from './exporters.js';
import { replayEvents, replayMetrics, type ReplayBatch } from './replay.js';
import type { TextSink } from './console-exporters.js';

/** Who the sender is when a spool file's header is damaged. */
export interface FallbackIdentity {
  readonly app: string;
  readonly version: string;
  readonly installationId: string;
}

/** What a delivery run needs. */
export interface DeliverOptions {
  readonly spoolDir: string;
  readonly config: ResolvedConfig;
  /** Tiers that may still be delivered (see `deliverableTiers`); default: the config's own tiers. */
  readonly tiers?: Deliverable;
  /**
   * Consent read again when records that failed are put back in the spool: a tier withdrawn while
   * this sender ran (`telemetry off events`) does not come back to disk. Default: `tiers`.
   */
  readonly stillAllowed?: () => Deliverable;
  readonly fallback: FallbackIdentity;
  readonly stderr: TextSink;
  /** Most bytes of spool claimed per round, bounding the sender's memory. */
  readonly maxClaimBytes?: number;
  /** Wait after taking the lock, so processes exiting together share one export (`immediate`). */
  readonly settleMs?: number;
  /** The caller already holds the sender lock (for the first round; later rounds take it again). */
  readonly lockHeld?: boolean;
  /** The app's spool cap (`spoolCapBytes`), kept when failed records are re-queued; default 4 MiB. */
  readonly capBytes?: number;
}

/** What a delivery run did. */
export interface DeliveryReport {
  readonly delivered: number;
  readonly requeued: number;
  readonly recoveredClaims: number;
  readonly failed: boolean;
}

const DEFAULT_MAX_CLAIM_BYTES = 8 * 1024 * 1024;

/** The tiers records spooled with `override` are sent in: consented, and with an exporter. */
function enabledTiers(options: DeliverOptions, override: Override | undefined): Set<Tier> {
  const { config } = options;
  const consent = options.tiers?.(override) ?? config.tiers;
  return new Set(TIERS.filter((t) => consent[t] && config.export.exporters[SIGNAL_OF_TIER[t]] !== 'none'));
}

/** One batch to replay, and the claimed files that hold what of it is not sent yet. */
type Batch = ReplayBatch & {
  at: number;
  records: EventRecord[];
  window: { start: number; end: number };
  files: string[];
  /** Batches of one family (installation, version, window) differ only in the stored settings they were spooled against. */
  family: string;
  /** Whether `files` are still the spool files as claimed, holding exactly `records` (nothing of them cut, sent or rewritten). */
  original: boolean;
  overridden: Override | undefined;
};

/** Groups claimed files into one batch per (installation, version, window). */
function batchesOf(claimDir: string, files: Parameters<typeof readSpoolFile>[1][], options: DeliverOptions) {
  const batches = new Map<string, Batch>();
  const { fallback, config } = options;
  for (const file of files) {
    const content = readSpoolFile(claimDir, file);
    const h = content.header;
    const identity = {
      serviceName: config.export.serviceName ?? h?.app ?? fallback.app,
      version: h?.version ?? fallback.version,
      installationId: h?.installationId ?? fallback.installationId,
      extra: config.export.resourceAttributes,
    };
    const window = windowOf(file.at, config.flush) ?? { start: file.at, end: file.at };
    const overridden = h?.overridden;
    const tiers = enabledTiers(options, overridden);
    // Records spooled against different stored settings stay apart, so a re-queue keeps each its own.
    const against = overridden ? `${overridden.tiers.join()}@${overridden.choiceAt}` : '';
    const family = `${identity.installationId}|${identity.version}|${config.flush === 'immediate' ? '' : window.start}`;
    const key = `${family}|${against}`;
    let batch = batches.get(key);
    if (!batch) {
      batch = { identity, window: { ...window }, records: [], descriptions: { ...h?.descriptions }, at: file.at, files: [], family, original: true, overridden };
      batches.set(key, batch);
    }
    batch.files.push(file.name);
    Object.assign(batch.descriptions, h?.descriptions);
    if (config.flush === 'immediate') {
      batch.window.start = Math.min(batch.window.start, file.at);
      batch.window.end = Math.max(batch.window.end, file.at + 1);
    }
    // Consent may have changed since the records were spooled: only tiers still on are sent.
    const kept = keepTiers(content.records, (t) => tiers.has(t));
    // keepTiers keeps a record itself when it cuts nothing from it.
    if (content.corrupt > 0 || kept.length !== content.records.length || kept.some((r, i) => r !== content.records[i])) batch.original = false;
    for (const record of kept) batch.records.push(record);
    if (content.corrupt > 0 && tiers.has('metrics')) {
      diagLog('warn', `skipped ${content.corrupt} damaged lines in ${file.name}`);
      batch.records.push(droppedRecord(fallback.app, 'corrupt', content.corrupt, file.at));
    }
  }
  return [...batches.values()];
}

/** Batches grouped by family, in the order their families first appear. */
function familiesOf(batches: readonly Batch[]): Batch[][] {
  const families = new Map<string, Batch[]>();
  for (const batch of batches) {
    const family = families.get(batch.family);
    if (family) family.push(batch);
    else families.set(batch.family, [batch]);
  }
  return [...families.values()];
}

/** What the exporters ask before each request they make (see `ExporterOptions.mayConnect`); set for each export. */
interface SendGate {
  allows: (signal: Signal) => boolean;
}

/** One batch of a family being delivered: how far each signal went, and which the user withdrew meanwhile. */
interface Delivery {
  readonly batch: Batch;
  readonly sentUpTo: SentUpTo;
  /** Signals whose tier the user withdrew while earlier ones were exporting: dropped, not failed. */
  readonly withdrawn: Set<Signal>;
  readonly failed: Set<Signal>;
}

/** The family's records as one batch for its metrics: one point per series and window, whatever settings each record was spooled against. */
function metricsOf(family: readonly Batch[]): ReplayBatch {
  const [first] = family as [Batch, ...Batch[]];
  if (family.length === 1) return first;
  return {
    identity: first.identity,
    window: { start: Math.min(...family.map((b) => b.window.start)), end: Math.max(...family.map((b) => b.window.end)) },
    records: family.flatMap((b) => b.records),
    descriptions: Object.assign({}, ...family.map((b) => b.descriptions)) as Record<string, string>,
  };
}

/**
 * Leaves in the claim, for the spool, only `records` of a batch (the parts whose signals failed or
 * were not tried) in the tiers still allowed, keeping their window. Never sends anything twice to
 * avoid losing it: when the claim is gone (`telemetry off` deleted the spool meanwhile) the records
 * go with it. When they cannot be written (a full or read-only disk) the batch's files go back as
 * they were claimed if that is exactly what is left to send, and are otherwise dropped with a diag
 * line — put back whole they would resend what was accepted, or keep a tier the user withdrew.
 * Files that went back whole stop the delivery (`backWhole`), so they are not claimed again in a loop.
 */
function putBack(claimDir: string, batch: Batch, records: readonly EventRecord[], options: DeliverOptions): { requeued: number; backWhole: boolean } {
  const allowed = allowedNow(options, batch);
  const kept = allowed ? keepTiers(records, (t) => allowed[t]) : [...records];
  try {
    writeReplacement(claimDir, batch, kept, options.fallback.app)();
    return { requeued: kept.length, backWhole: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { requeued: 0, backWhole: false };
    const whole = batch.original && kept.length === batch.records.length && kept.every((r, i) => r === batch.records[i]);
    if (whole) {
      diagLog('warn', `could not rewrite ${batch.files.length} spool files (${errorClass(error)}); they go back as they were`);
      return { requeued: kept.length, backWhole: true };
    }
    diagLog('warn', `could not re-queue ${kept.length} records (${errorClass(error)}): dropped rather than risk sending others twice`);
    for (const name of batch.files) rmSync(join(claimDir, name), { recursive: true, force: true });
    batch.files = [];
    return { requeued: 0, backWhole: false };
  }
}

/** The tiers the batch's records may go out in, read now; undefined when the caller gave no consent to re-read. */
function allowedNow(options: DeliverOptions, batch: Batch): Readonly<Record<Tier, boolean>> | undefined {
  return (options.stillAllowed?.() ?? options.tiers)?.(batch.overridden);
}

/** How far each signal of a batch has gone out: its records before this index were accepted. */
type SentUpTo = Record<Signal, number>;

/** The batch's records cut to the tiers that travel as `signals` and have not gone out yet. */
function pendingOf(batch: Batch, sentUpTo: Readonly<SentUpTo>, signals: ReadonlySet<Signal>): EventRecord[] {
  const out: EventRecord[] = [];
  batch.records.forEach((record, i) => {
    out.push(...keepTiers([record], (t) => signals.has(SIGNAL_OF_TIER[t]) && i >= sentUpTo[SIGNAL_OF_TIER[t]]));
  });
  return out;
}

function headerOf(batch: Batch, app: string): SpoolHeader {
  const { version, installationId } = batch.identity;
  return { optel: 1, app, version, installationId, at: batch.at, descriptions: batch.descriptions, ...(batch.overridden ? { overridden: batch.overridden } : {}) };
}

/**
 * Replaces the batch's files in the claim by one holding `rest`, what of them is still to send, in
 * two steps: writes that file, and returns the step that deletes the files it replaces. The new file
 * names the files it supersedes, so a sender killed before it deleted them leaves a claim that,
 * merged back, drops them (`releaseClaim`): nothing the collector accepted is sent again. Written
 * even when `rest` is empty, as the mark that all of them went out. A family's batches all write
 * theirs before any deletes, so a sender killed while recording their one metrics export sends
 * none of it again.
 */
function writeReplacement(claimDir: string, batch: Batch, rest: readonly EventRecord[], app: string): () => void {
  const replaced = batch.files;
  if (replaced.length === 0 && rest.length === 0) return () => {};
  // Never creates the claim: gone with the spool (`telemetry off`), it stays gone.
  const { file } = appendToSpool(claimDir, { ...headerOf(batch, app), supersedes: replaced }, rest, Infinity, false);
  batch.original = false;
  batch.files = rest.length > 0 && file !== undefined ? [file] : [];
  return () => {
    for (const name of replaced) rmSync(join(claimDir, name), { recursive: true, force: true });
    if (rest.length === 0 && file !== undefined) rmSync(join(claimDir, file), { recursive: true, force: true });
  };
}

const ALL_SIGNALS: ReadonlySet<Signal> = new Set(SIGNALS);

/**
 * Sends one family's batches: its metrics in one export (one point per series and window), then
 * each batch's log records and spans; what failed goes back into the claim, each batch under its
 * own stored settings.
 */
async function deliverFamily(
  family: readonly Batch[], claimDir: string, exporters: Exporters, gate: SendGate, options: DeliverOptions,
): Promise<{ delivered: number; requeued: number; failed: boolean }> {
  const app = options.fallback.app;
  let delivered = 0;
  let requeued = 0;
  let failed = false;
  const deliveries: Delivery[] = family.map((batch) => ({ batch, sentUpTo: { metrics: 0, logs: 0, traces: 0 }, withdrawn: new Set(), failed: new Set() }));
  const consented = (batch: Batch, signal: Signal): boolean => {
    const allowed = allowedNow(options, batch);
    return !allowed || TIERS.some((t) => allowed[t] && SIGNAL_OF_TIER[t] === signal);
  };
  // `telemetry off` deletes the spool with the claim (and a sender that took over releases it):
  // from then on nothing more of this batch goes out. Nothing here recreates it. `telemetry off
  // events` leaves the claim, which this sender read with the consent of then.
  const stillMay = ({ batch }: Delivery, signal: Signal): boolean => existsSync(claimDir) && consented(batch, signal);
  const mayGoOn = (d: Delivery, signal: Signal): boolean => {
    if (!existsSync(claimDir)) return false;
    if (!consented(d.batch, signal)) d.withdrawn.add(signal);
    return !d.withdrawn.has(signal);
  };
  /** Records that `signal` went out for each delivery's records before its `end` (one export: all its writes come before any delete). */
  const sent = (parts: ReadonlyArray<readonly [Delivery, number]>, signal: Signal): void => {
    const deletes: Array<() => void> = [];
    for (const [{ batch, sentUpTo }, end] of parts) {
      sentUpTo[signal] = end;
      // Even if what is left cannot be written below, the files as claimed are no longer all unsent.
      batch.original = false;
      try {
        deletes.push(writeReplacement(claimDir, batch, pendingOf(batch, sentUpTo, ALL_SIGNALS), app));
      } catch (error) {
        // Not recorded: only a sender killed before it finishes would send this part again.
        diagLog('warn', `could not record a delivered part in the claim (${errorClass(error)})`);
      }
    }
    for (const remove of deletes) {
      try {
        remove();
      } catch (error) {
        // Left in the claim, superseded: whoever merges the claim back drops them.
        diagLog('warn', `could not delete a delivered part from the claim (${errorClass(error)})`);
      }
    }
  };
  if (exporters.metrics) {
    // Consent is asked of each batch before the one export; a batch held back keeps its metrics out of it.
    const going = deliveries.filter((d) => {
      if (!d.batch.records.some((r) => r.tiers.includes('metrics'))) return false;
      if (mayGoOn(d, 'metrics')) return true;
      d.failed.add('metrics');
      return false;
    });
    // The exporter's own retries ask too: one whose batch lost its consent meanwhile sends nothing.
    gate.allows = (signal) => going.every((d) => stillMay(d, signal));
    const accepted = going.length > 0 ? await replayMetrics(metricsOf(going.map((d) => d.batch)), exporters.metrics, options.config.export.timeoutMs).catch(() => false) : undefined;
    if (accepted === true) sent(going.map((d) => [d, d.batch.records.length] as const), 'metrics');
    else if (accepted === false) for (const d of going) d.failed.add('metrics');
  }
  for (const d of deliveries) {
    const { batch, sentUpTo, withdrawn } = d;
    gate.allows = (signal) => stillMay(d, signal);
    const events = await replayEvents(batch, exporters, options.config.export.timeoutMs, {
      mayGoOn: (signal) => mayGoOn(d, signal),
      sent: (signal, end) => sent([[d, end]], signal),
    }).catch(() => new Set<Signal>(['logs', 'traces']));
    const failedSignals = new Set([...d.failed, ...events]);
    // An export that failed because the user withdrew its tier meanwhile is a withdrawal, not a failure to back off from.
    for (const signal of failedSignals) mayGoOn(d, signal);
    const notSent = failedSignals.size > 0 ? pendingOf(batch, sentUpTo, failedSignals) : [];
    if ([...failedSignals].some((signal) => !withdrawn.has(signal))) failed = true;
    // The claim gone, what of it was unsent is gone with the spool (`telemetry off`) or back in
    // it (a sender that took over after an hour: a hang, a laptop asleep), so not re-queued again.
    const back = putBack(claimDir, batch, notSent, options);
    requeued += back.requeued;
    if (back.backWhole) failed = true;
    delivered += batch.records.length - notSent.length;
  }
  return { delivered, requeued, failed };
}

/** How often a working sender renews its lock (it is stale after 5 minutes). */
const LOCK_REFRESH_MS = 30_000;

/**
 * One sender run: takes the lock, merges back claims of dead senders, then claims, replays and
 * exports completed windows until the spool is empty or a delivery fails (then it re-queues what
 * failed and what it did not try, and backs off; nothing is retried in a tight loop). A claim is
 * put back whole only when nothing of it was sent yet.
 */
async function deliverSpool(options: DeliverOptions): Promise<DeliveryReport> {
  const { spoolDir, config } = options;
  let delivered = 0;
  let requeued = 0;
  let failed = false;
  let halted = false;
  if (!options.lockHeld && !acquireSenderLock(spoolDir)) return { delivered, requeued, recoveredClaims: 0, failed };
  const heartbeat = setInterval(() => refreshSenderLock(spoolDir), LOCK_REFRESH_MS);
  heartbeat.unref();
  const exporters: { -readonly [K in keyof Exporters]: Exporters[K] } = {};
  const tried = new Set<Signal>();
  const gate: SendGate = { allows: () => true };
  let recoveredClaims = 0;
  try {
    recoveredClaims = recoverStaleClaims(spoolDir);
    recoverAbandonedWrites(spoolDir);
    restampMisdatedFiles(spoolDir, config.flush, options.fallback);
    // The lock is taken first so that writers exiting meanwhile see a running sender and leave it to us.
    if (options.settleMs) await new Promise((r) => setTimeout(r, options.settleMs));
    // Started as soon as a window ended (a run at the top of the hour): its last files may still be landing.
    const grace = graceLeft(spoolDir, config.flush, Date.now());
    if (grace > 0) await new Promise((r) => setTimeout(r, grace));
    while (!failed && !halted) {
      const claim = claimFiles(spoolDir, (f) => isDeliverable(f.at, config.flush, Date.now()), options.maxClaimBytes ?? DEFAULT_MAX_CLAIM_BYTES);
      if (!claim) break;
      let batches;
      try {
        batches = batchesOf(claim.dir, [...claim.files], options);
        // Exporters for the signals these batches need and no earlier claim did (loading one costs the sender tens of ms).
        const needed = new Set(batches.flatMap((b) => b.records.flatMap((r) => r.tiers.map((t) => SIGNAL_OF_TIER[t]))));
        const missing = [...needed].filter((signal) => !tried.has(signal));
        for (const signal of missing) tried.add(signal);
        if (missing.length > 0) Object.assign(exporters, await createExporters(config.export, missing, options.stderr, { mayConnect: (signal) => gate.allows(signal) }));
      } catch (error) {
        // Nothing of this claim was sent: it goes back whole.
        diagLog('warn', `delivery failed: ${(error as Error).message}`);
        releaseClaim(spoolDir, claim.dir);
        failed = true;
        break;
      }
      for (const family of familiesOf(batches)) {
        // Another sender took the lock over (this one looked stale): stop sending; if it also took
        // our claim back, its files are in the spool again and nothing is re-queued.
        if (!failed && !halted && !holdsSenderLock(spoolDir)) halted = true;
        if (failed || halted) {
          for (const batch of family) requeued += putBack(claim.dir, batch, batch.records, options).requeued;
          continue;
        }
        const outcome = await deliverFamily(family, claim.dir, exporters, gate, options);
        delivered += outcome.delivered;
        requeued += outcome.requeued;
        if (outcome.failed) failed = true;
      }
      // What is left in the claim is what failed or was not tried: back to the spool, file by file.
      releaseClaim(spoolDir, claim.dir);
    }
    // Off since (the spool deleted): no back-off file recreates it.
    if (failed) recordFailure(spoolDir);
    else clearBackoff(spoolDir);
  } finally {
    clearInterval(heartbeat);
    releaseSenderLock(spoolDir);
    // Bounded: an exporter waits for its requests, and a collector that trickles bytes never ends one.
    const closing = Promise.allSettled([exporters.metrics?.shutdown(), exporters.logs?.shutdown(), exporters.traces?.shutdown()]);
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, config.export.timeoutMs).unref())]);
  }
  return { delivered, requeued, recoveredClaims, failed };
}

/** Runs deliveries until nothing deliverable is left (a writer may spool while we release the lock). */
export async function deliverUntilEmpty(options: DeliverOptions, maxRounds = 5): Promise<DeliveryReport> {
  let total: DeliveryReport = { delivered: 0, requeued: 0, recoveredClaims: 0, failed: false };
  for (let round = 0; round < maxRounds; round++) {
    const report = await deliverSpool(round === 0 ? options : { ...options, settleMs: 0, lockHeld: false });
    total = {
      delivered: total.delivered + report.delivered,
      requeued: total.requeued + report.requeued,
      recoveredClaims: total.recoveredClaims + report.recoveredClaims,
      failed: report.failed,
    };
    // Release-then-rescan closes the race with a writer that saw our lock just before we dropped it.
    if (report.failed || !hasDeliverableFiles(options.spoolDir, options.config.flush)) break;
  }
  return total;
}
