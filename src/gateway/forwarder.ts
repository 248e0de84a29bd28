import { gzipSync } from 'node:zlib';
import { OTLP_SIGNALS, type OtlpSignal } from '../otlp/signals.js';
import type { OtlpFormat, OtlpRequestMap } from '../otlp/types.js';
import { backoffDelay } from './backoff.js';
import { sleep } from '../http/sleep.js';
import { encodePart, joinParts, type UpstreamPart } from './encode-upstream.js';
import { createUpstreamPoster, type PostUpstream, rejectedBy, signalUrl } from './post-upstream.js';

/** Where and how valid data goes upstream; every field but `upstream` has a default. */
export interface ForwarderOptions {
  /** Base URL of the OTLP/HTTP upstream (a Collector), e.g. `http://collector:4318`; `/v1/<signal>` is appended. */
  readonly upstream: string;
  /** Body encoding upstream (default `protobuf`). */
  readonly format?: OtlpFormat;
  /** Compress bodies sent upstream (default false: a gateway usually sits next to its collector). */
  readonly gzip?: boolean;
  /** Extra headers for the upstream (e.g. its authorization); nothing from clients is ever added. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Concurrent requests to the upstream (default 4); more work waits and is batched. */
  readonly maxInFlight?: number;
  /** Most items (points, records, spans) in one upstream request (default 8,192). */
  readonly maxBatchItems?: number;
  /** Most decoded bytes waiting or in flight (default 32 MiB); past it new requests get 503. */
  readonly maxPendingBytes?: number;
  /** Deadline of one upstream attempt (default 5 s). */
  readonly timeoutMs?: number;
  /** Retries of a failed batch (default 3), within `retryBudgetMs` (default 5 s) of its first attempt. */
  readonly retries?: number;
  readonly retryBudgetMs?: number;
  /** First backoff delay (default 100 ms), doubled per retry with jitter. */
  readonly backoffMs?: number;
  /** Longest the gateway refuses new data after a batch finally failed (default 30 s). */
  readonly maxDownMs?: number;
  /** Injectable for tests. */
  readonly now?: () => number;
  readonly random?: () => number;
  readonly post?: PostUpstream;
}

/** The fate of one client request's data. */
export type ForwardResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 502 | 503; readonly retryAfterMs: number; readonly reason: string };

/** Counters for `stats()` and logs. */
export interface ForwarderStats {
  batches: number;
  items: number;
  bytes: number;
  retries: number;
  failedBatches: number;
  /** Items the upstream itself reported rejected through partial success. */
  upstreamRejected: number;
  /** Exports queued as their clients sent them (protobuf the catalog left unchanged), not encoded again. */
  verbatim: number;
  pendingBytes: number;
  inFlight: number;
  /** Whether new data is being refused because the upstream failed. */
  down: boolean;
}

/** Sends filtered requests upstream, batched, with bounded memory and retries. */
export interface Forwarder {
  /**
   * Queues one filtered request (`items` items, `bytes` decoded bytes) and resolves once the
   * upstream accepted the batch it went in — or at once with 503 when the upstream is known to be
   * down or too much is pending. Never rejects. `verbatim`, protobuf bytes that hold exactly
   * `request`, is sent instead of encoding it again when the upstream takes protobuf.
   */
  forward<S extends OtlpSignal>(signal: S, request: OtlpRequestMap[S], items: number, bytes: number, verbatim?: Uint8Array): Promise<ForwardResult>;
  /**
   * Milliseconds new data will still be refused for: the cool-down left, or a second while the one
   * probe let through after it is out (0 when the upstream is believed up or the next export may probe).
   */
  downFor(): number;
  stats(): ForwarderStats;
  /** Refuses new data, answers what is queued with 503, waits for batches in flight. */
  close(): Promise<void>;
}

interface Waiting {
  /** Released once the batch is encoded, so a batch waiting on the upstream holds one body. */
  part: UpstreamPart | undefined;
  readonly items: number;
  readonly bytes: number;
  readonly done: (result: ForwardResult) => void;
}

/** Upstream statuses worth retrying (the OTLP/HTTP spec's list). */
const RETRYABLE = new Set([429, 502, 503, 504]);

/** The cool-down after a batch finally failed, doubled per failed probe up to `maxDownMs`. */
const FIRST_COOL_DOWN_MS = 1000;

/** The `Retry-After` given while a probe is out: it settles within one batch's retry budget, usually far sooner. */
const PROBE_WAIT_MS = 1000;

const FAILING = 'the upstream is failing; try again later';

/** Bytes a verbatim body's buffer may hold beyond the body before it is copied: more is memory the queue would not count. */
const SHARED_SLACK = 1024;

/**
 * Group commit: a request is sent as soon as a connection slot is free; while all `maxInFlight`
 * are busy, what arrives queues and leaves as one batch (the top-level lists concatenated, which
 * OTLP defines as the same data). Clients are answered only when the upstream accepted their
 * batch, so the gateway holds nothing it has acknowledged: it can stop, crash or be scaled at any
 * moment without losing acknowledged data, and a client's own retry covers the rest.
 *
 * An outage begins at the first failed attempt: what waits is answered 503 at once, and new data
 * is refused while failed batches retry and for a cool-down after each finally fails. After the
 * cool-down one export is let through as a probe, the rest still refused; the cool-down doubles
 * only when a probe fails, not for each batch that was already out when the outage began.
 */
export function createForwarder(options: ForwarderOptions): Forwarder {
  const format = options.format ?? 'protobuf';
  const maxInFlight = Math.max(1, options.maxInFlight ?? 4);
  const maxBatchItems = Math.max(1, options.maxBatchItems ?? 8192);
  const maxPendingBytes = options.maxPendingBytes ?? 32 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const retries = options.retries ?? 3;
  const retryBudgetMs = options.retryBudgetMs ?? 5_000;
  const backoffMs = options.backoffMs ?? 100;
  const maxDownMs = options.maxDownMs ?? 30_000;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const poster = options.post ? { post: options.post, close() {} } : createUpstreamPoster(maxInFlight);
  const urls = Object.fromEntries(OTLP_SIGNALS.map((s) => [s, signalUrl(options.upstream, s)])) as Record<OtlpSignal, URL>;
  const headers: Record<string, string> = {
    ...options.headers,
    'content-type': format === 'json' ? 'application/json' : 'application/x-protobuf',
    ...(options.gzip ? { 'content-encoding': 'gzip' } : {}),
  };

  const queues: Record<OtlpSignal, Waiting[]> = { metrics: [], logs: [], traces: [] };
  const sleepers = new Set<() => void>();
  const idle: (() => void)[] = [];
  const stats = { batches: 0, items: 0, bytes: 0, retries: 0, failedBatches: 0, upstreamRejected: 0, verbatim: 0 };
  let pendingBytes = 0;
  let inFlight = 0;
  let downUntil = 0;
  // The outage under way, numbered so a batch can tell whether it was sent during it (a probe), or
  // undefined while the upstream is believed up.
  let outage: number | undefined;
  let outages = 0;
  let failedProbes = 0;
  let probing = false;
  let turn = 0;
  let closed = false;

  const refuse = (status: 502 | 503, retryAfterMs: number, reason: string): ForwardResult => ({ ok: false, status, retryAfterMs, reason });

  function downFor(): number {
    if (outage === undefined) return 0;
    const left = downUntil - now();
    return left > 0 ? left : probing ? PROBE_WAIT_MS : 0;
  }

  /** Answers everything still queued with `result` (sent nowhere). */
  function answerQueued(result: ForwardResult): void {
    for (const signal of OTLP_SIGNALS) {
      for (const w of queues[signal].splice(0)) {
        pendingBytes -= w.bytes;
        w.done(result);
      }
    }
  }

  /** Refuses new data until `until` at least; begins an outage if none is under way. */
  function down(until: number): void {
    outage ??= ++outages;
    downUntil = Math.max(downUntil, until);
    // Queued data would only be sent into a failing upstream after the cool-down: it is told to come back instead.
    answerQueued(refuse(503, Math.max(0, downUntil - now()), FAILING));
  }

  function pump(): void {
    while (inFlight < maxInFlight) {
      const signal = nextSignal();
      if (signal === undefined) return;
      const batch = takeBatch(queues[signal]);
      inFlight++;
      void send(signal, batch)
        .catch((err: unknown) => refuse(502, 0, `forwarding failed: ${(err as Error).message}`))
        .then((result) => {
          for (const w of batch) {
            pendingBytes -= w.bytes;
            w.done(result);
          }
          inFlight--;
          if (inFlight === 0) for (const wake of idle.splice(0)) wake();
          pump();
        });
    }
  }

  function nextSignal(): OtlpSignal | undefined {
    // Round robin, so a flood of one signal cannot starve the others.
    for (let i = 0; i < OTLP_SIGNALS.length; i++) {
      const signal = OTLP_SIGNALS[(turn + i) % OTLP_SIGNALS.length] as OtlpSignal;
      if (queues[signal].length > 0) {
        turn = (turn + i + 1) % OTLP_SIGNALS.length;
        return signal;
      }
    }
    return undefined;
  }

  function takeBatch(queue: Waiting[]): Waiting[] {
    let items = 0;
    let n = 0;
    while (n < queue.length && (n === 0 || items + (queue[n] as Waiting).items <= maxBatchItems)) items += (queue[n++] as Waiting).items;
    return queue.splice(0, n);
  }

  async function send(signal: OtlpSignal, batch: readonly Waiting[]): Promise<ForwardResult> {
    const items = batch.reduce((n, w) => n + w.items, 0);
    let body = joinParts(signal, batch.map((w) => w.part as UpstreamPart), format);
    for (const w of batch) w.part = undefined;
    if (options.gzip) body = gzipSync(body);
    const started = now();
    const sentIn = outage;
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      let retryAfterMs = 0;
      let why: string;
      try {
        const answer = await poster.post(urls[signal], body, headers, timeoutMs);
        status = answer.status;
        if (status >= 200 && status < 300) {
          outage = undefined;
          failedProbes = 0;
          downUntil = 0;
          stats.batches++;
          stats.items += items;
          stats.bytes += body.byteLength;
          stats.upstreamRejected += rejectedBy(signal, answer.body, answer.contentType);
          return { ok: true };
        }
        retryAfterMs = answer.retryAfterMs ?? 0;
        why = `the upstream answered ${status}`;
      } catch (err) {
        why = `the upstream is unreachable (${(err as { code?: string }).code ?? (err as Error).message})`;
      }
      if (status !== 0 && !RETRYABLE.has(status)) {
        stats.failedBatches++;
        return refuse(502, 0, `${why}; the data was not forwarded`);
      }
      const wait = Math.max(backoffDelay(attempt, backoffMs, maxDownMs, random), Math.min(retryAfterMs, maxDownMs));
      // While a batch waits to be retried, new data is refused: the upstream is known to be failing.
      down(now() + wait);
      if (closed || attempt >= retries || now() - started + wait > retryBudgetMs) {
        stats.failedBatches++;
        // Only a batch sent during this outage (a probe) tells something new: the batches already
        // out when it began all fail together, and each counting would stretch a short outage to 30 s.
        if (sentIn !== undefined && sentIn === outage) failedProbes++;
        const cooldown = Math.max(wait, Math.min(maxDownMs, FIRST_COOL_DOWN_MS * 2 ** failedProbes));
        // One reading of the clock: a second one could tell the client to come back before the cooldown ends.
        const at = now();
        down(at + cooldown);
        return refuse(503, downUntil - at, `${why}; try again later`);
      }
      stats.retries++;
      await sleep(wait, sleepers);
    }
  }

  return {
    forward(signal, request, items, bytes, verbatim) {
      if (closed) return Promise.resolve(refuse(503, 1000, 'the gateway is shutting down'));
      const probe = outage !== undefined;
      if (probe) {
        const wait = downFor();
        if (wait > 0) return Promise.resolve(refuse(503, wait, FAILING));
      }
      if (pendingBytes > 0 && pendingBytes + bytes > maxPendingBytes) {
        return Promise.resolve(refuse(503, 1000, 'the gateway is busy; try again later'));
      }
      let part: UpstreamPart;
      if (verbatim !== undefined && format === 'protobuf') {
        // A view into a larger buffer (gunzip's 16 KiB chunk, a pool slab) would hold all of it while
        // pending bytes count the view: a copy of its own size waits instead.
        part = verbatim.buffer.byteLength > verbatim.byteLength + SHARED_SLACK ? new Uint8Array(verbatim) : verbatim;
        stats.verbatim++;
      } else {
        try {
          part = encodePart(signal, request, format);
        } catch (err) {
          return Promise.resolve(refuse(502, 0, `the data could not be encoded for the upstream: ${(err as Error).message}`));
        }
      }
      pendingBytes += bytes;
      // The probe: whatever becomes of it, the next export after it may probe again.
      if (probe) probing = true;
      return new Promise<ForwardResult>((resolve) => {
        const done = probe ? (result: ForwardResult) => ((probing = false), resolve(result)) : resolve;
        queues[signal].push({ part, items, bytes, done });
        pump();
      });
    },
    downFor,
    stats: () => ({ ...stats, pendingBytes, inFlight, down: downFor() > 0 }),
    async close() {
      closed = true;
      answerQueued(refuse(503, 1000, 'the gateway is shutting down'));
      for (const wake of [...sleepers]) wake();
      if (inFlight > 0) await new Promise<void>((resolve) => idle.push(resolve));
      poster.close();
    },
  };
}
