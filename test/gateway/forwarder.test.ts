import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createForwarder, type Forwarder } from '../../src/gateway/forwarder.js';
import { startReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { encodeRequest } from '../../src/otlp/encode.js';
import { counter, countPoint, metrics } from './fixtures.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function receiver(options: Parameters<typeof startReceiver>[0] = {}): Promise<OtlpReceiver> {
  const r = await startReceiver(options);
  open.push(r);
  return r;
}

function forwarder(options: Parameters<typeof createForwarder>[0]): Forwarder {
  const f = createForwarder({ backoffMs: 10, ...options });
  open.push(f);
  return f;
}

const one = (command = 'buy') => metrics([counter('shop.cli.invoked', [countPoint({ 'cli.command': command })])]);

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('forwarding upstream', () => {
  it('answers once the upstream has the data, as protobuf by default', async () => {
    const upstream = await receiver();
    const result = await forwarder({ upstream: upstream.url }).forward('metrics', one(), 1, 100);
    expect(result).toEqual({ ok: true });
    expect(upstream.requests[0]?.contentType).toBe('application/x-protobuf');
    expect(upstream.metrics()[0]?.points[0]?.attributes).toEqual({ 'cli.command': 'buy' });
  });

  it('sends a verbatim body as it is, and queues one that is a view of a larger buffer (gunzip output) as a copy of its own size', async () => {
    const sent: Uint8Array[] = [];
    const f = forwarder({ upstream: 'http://127.0.0.1:9', post: async (_url, body) => (sent.push(body), { status: 200, retryAfterMs: undefined, contentType: undefined, body: Buffer.alloc(0) }) });
    // A buffer of its own (`Buffer.from` would take a slice of Node's shared 8 KiB pool).
    const own = new Uint8Array(encodeRequest('metrics', one(), 'protobuf'));
    const slab = Buffer.alloc(16 * 1024);
    slab.set(own, 100);
    const view = slab.subarray(100, 100 + own.byteLength);
    expect(await f.forward('metrics', one(), 1, own.byteLength, own)).toEqual({ ok: true });
    expect(await f.forward('metrics', one(), 1, view.byteLength, view)).toEqual({ ok: true });
    expect(sent[0]).toBe(own);
    expect(Buffer.from(sent[1] as Uint8Array).equals(own)).toBe(true);
    expect(sent[1]?.buffer.byteLength).toBe(own.byteLength);
    expect(f.stats().verbatim).toBe(2);
  });

  it('takes a 2xx whose body trickles past the deadline as accepted: the batch is not sent again', async () => {
    let posts = 0;
    const slow = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        posts++;
        res.writeHead(200, { 'content-type': 'application/x-protobuf' });
        res.flushHeaders();
        const drip = setInterval(() => res.write('\0'), 100);
        setTimeout(() => (clearInterval(drip), res.end()), 2_000);
      });
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise((resolve) => (slow.closeAllConnections(), slow.close(() => resolve()))) });
    const { port } = slow.address() as { port: number };
    const f = forwarder({ upstream: `http://127.0.0.1:${port}`, timeoutMs: 300 });
    expect(await f.forward('metrics', one(), 1, 100)).toEqual({ ok: true });
    expect(posts).toBe(1);
    expect(f.stats()).toMatchObject({ retries: 0, failedBatches: 0 });
  });

  it.each([
    [200, { ok: true }],
    [400, { ok: false, status: 502 }],
  ] as const)('takes a %i whose body is cut by a reset as answered: the batch is not sent again', async (status, expected) => {
    let posts = 0;
    const cut = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        posts++;
        res.writeHead(status, { 'content-type': 'application/x-protobuf', 'content-length': '100' });
        // Half the promised body, then the connection drops once the status line is surely out.
        res.write(Buffer.alloc(50), () => res.socket?.destroy());
      });
    });
    await new Promise<void>((resolve) => cut.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise((resolve) => (cut.closeAllConnections(), cut.close(() => resolve()))) });
    const { port } = cut.address() as { port: number };
    const f = forwarder({ upstream: `http://127.0.0.1:${port}` });
    expect(await f.forward('metrics', one(), 1, 100)).toMatchObject(expected);
    expect(posts).toBe(1);
    expect(f.stats()).toMatchObject({ retries: 0, down: false });
  });

  it.each(['protobuf', 'json'] as const)('batches what arrives while the upstream is busy into fewer %s requests', async (format) => {
    const upstream = await receiver();
    const f = forwarder({ upstream: upstream.url, maxInFlight: 1, format });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => f.forward('metrics', one(i % 2 ? 'buy' : 'list'), 1, 100)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(upstream.metrics().flatMap((m) => m.points)).toHaveLength(20);
    expect(upstream.requests.length).toBeLessThan(5);
    expect(f.stats()).toMatchObject({ items: 20, pendingBytes: 0, inFlight: 0 });
  });

  it('sends JSON, gzip and extra headers when told to, and nothing of the client', async () => {
    const upstream = await receiver();
    await forwarder({ upstream: `${upstream.url}/`, format: 'json', gzip: true, headers: { authorization: 'Bearer collector-token' } })
      .forward('metrics', one(), 1, 100);
    const [req] = upstream.requests;
    expect(req).toMatchObject({ contentType: 'application/json', encoding: 'gzip' });
    expect(req?.headers.authorization).toBe('Bearer collector-token');
    expect(Object.keys(req?.headers ?? {}).sort()).toEqual(['authorization', 'connection', 'content-encoding', 'content-length', 'content-type', 'host']);
  });

  it('retries a failing upstream with backoff and succeeds when it recovers', async () => {
    let calls = 0;
    const upstream = await receiver({ status: () => (++calls < 3 ? 503 : 200) });
    const f = forwarder({ upstream: upstream.url });
    expect(await f.forward('metrics', one(), 1, 100)).toEqual({ ok: true });
    expect(calls).toBe(3);
    expect(f.stats()).toMatchObject({ retries: 2, failedBatches: 0, down: false });
  });

  it('gives up within its budget, then refuses new data with 503 and a wait instead of queueing it', async () => {
    const f = forwarder({ upstream: `http://127.0.0.1:${await closedPort()}`, retries: 2 });
    const first = await f.forward('metrics', one(), 1, 100);
    expect(first).toMatchObject({ ok: false, status: 503 });
    expect(first.ok === false && first.retryAfterMs).toBeGreaterThanOrEqual(1000);
    const second = await f.forward('metrics', one(), 1, 100);
    expect(second).toMatchObject({ ok: false, status: 503, reason: expect.stringContaining('failing') });
    expect(f.stats()).toMatchObject({ pendingBytes: 0, inFlight: 0, down: true, failedBatches: 1 });
  });

  it('honours the upstream Retry-After', async () => {
    const upstream = await receiver({ status: 429, retryAfter: '7' });
    const f = forwarder({ upstream: upstream.url, retries: 0 });
    const result = await f.forward('metrics', one(), 1, 100);
    expect(result).toMatchObject({ ok: false, status: 503 });
    expect(f.downFor()).toBeGreaterThan(6_000);
  });

  it('does not retry what the upstream refuses for good, and says so with 502', async () => {
    const upstream = await receiver({ status: 400 });
    const f = forwarder({ upstream: upstream.url });
    expect(await f.forward('metrics', one(), 1, 100)).toMatchObject({ ok: false, status: 502 });
    expect(upstream.requests).toHaveLength(1);
    expect(f.downFor()).toBe(0);
  });

  it('refuses with 503 rather than hold more than its memory bound', async () => {
    const upstream = await receiver({ hang: true });
    const f = forwarder({ upstream: upstream.url, maxInFlight: 1, maxPendingBytes: 1_000, timeoutMs: 300, retries: 0 });
    const waiting = [f.forward('metrics', one(), 1, 600), f.forward('metrics', one(), 1, 300)];
    expect(await f.forward('metrics', one(), 1, 200)).toMatchObject({ ok: false, status: 503, reason: expect.stringContaining('busy') });
    await Promise.all(waiting);
    expect(f.stats().pendingBytes).toBe(0);
  });

  it('answers what is still queued when it closes', async () => {
    const upstream = await receiver({ hang: true });
    const f = createForwarder({ upstream: upstream.url, maxInFlight: 1, timeoutMs: 200, retries: 0 });
    const inFlight = f.forward('metrics', one(), 1, 100);
    const queued = f.forward('metrics', one(), 1, 100);
    await f.close();
    expect(await queued).toMatchObject({ ok: false, status: 503 });
    expect(await inFlight).toMatchObject({ ok: false });
    expect(await f.forward('metrics', one(), 1, 100)).toMatchObject({ ok: false, status: 503 });
  });

  describe('through an outage', () => {
    /** A real upstream that answers 503 while `failing`, 200 otherwise; and a forwarder on a clock the test moves. */
    async function outage(maxInFlight: number) {
      const state = { failing: true, clock: 0 };
      const upstream = await receiver({ status: () => (state.failing ? 503 : 200) });
      const f = forwarder({ upstream: upstream.url, maxInFlight, retries: 0, random: () => 0, now: () => state.clock });
      return { state, upstream, f };
    }

    it('answers what waits at once, and counts the batches already out when it began as one failure', async () => {
      const { upstream, f } = await outage(2);
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => f.forward('metrics', one(i % 2 ? 'buy' : 'list'), 1, 100)));
      // Two were out; the four waiting were refused without being sent into the failing upstream.
      expect(upstream.requests).toHaveLength(2);
      expect(results.map((r) => !r.ok && r.status)).toEqual([503, 503, 503, 503, 503, 503]);
      // One cool-down of 1 s, however many batches failed together.
      expect(f.downFor()).toBe(1000);
      expect(results.every((r) => !r.ok && r.retryAfterMs <= 1000)).toBe(true);
      expect(f.stats()).toMatchObject({ failedBatches: 2, pendingBytes: 0, inFlight: 0, down: true });
    });

    it('lets one probe through after each cool-down, doubles the cool-down when it fails, and opens again when one succeeds', async () => {
      const { state, upstream, f } = await outage(4);
      expect(await f.forward('metrics', one(), 1, 100)).toMatchObject({ ok: false, status: 503 });
      expect(f.downFor()).toBe(1000);
      for (const coolDown of [2000, 4000]) {
        state.clock += f.downFor();
        const sent = upstream.requests.length;
        const probe = f.forward('metrics', one(), 1, 100);
        // While the probe is out, everything else is refused and sent nowhere.
        const others = await Promise.all([f.forward('metrics', one(), 1, 100), f.forward('logs', { resourceLogs: [] }, 1, 100)]);
        expect(others).toEqual([
          expect.objectContaining({ ok: false, status: 503, retryAfterMs: 1000 }),
          expect.objectContaining({ ok: false, status: 503, retryAfterMs: 1000 }),
        ]);
        expect(await probe).toMatchObject({ ok: false, status: 503, retryAfterMs: coolDown });
        expect(upstream.requests.length).toBe(sent + 1);
        expect(f.downFor()).toBe(coolDown);
      }
      state.failing = false;
      state.clock += f.downFor();
      expect(await f.forward('metrics', one(), 1, 100)).toEqual({ ok: true });
      expect(f.stats()).toMatchObject({ down: false });
      const after = await Promise.all([f.forward('metrics', one(), 1, 100), f.forward('metrics', one(), 1, 100)]);
      expect(after).toEqual([{ ok: true }, { ok: true }]);
      // A new outage starts again from the first cool-down.
      state.failing = true;
      await f.forward('metrics', one(), 1, 100);
      expect(f.downFor()).toBe(1000);
    });
  });
});
