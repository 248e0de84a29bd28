import { request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { type Gateway, type GatewayOptions, startGateway } from '../../src/gateway/server.js';
import { decodeRequest, decodeResponse } from '../../src/otlp/decode.js';
import { requestPlan } from '../../src/otlp/field-plan.js';
import { writeVariant } from '../support/protobuf-bytes.js';
import { chooser, rng } from './random-otlp.js';
import { encodeRequest } from '../../src/otlp/encode.js';
import { startReceiver, type OtlpReceiver, type ReceiverOptions } from '../support/otlp-receiver.js';
import { DURATION_BUCKETS_SECONDS } from '../../src/semconv/names.js';
import {
  type Answer, counter, countPoint, durationPoint, durations, index, INSTALLATION, logRecord, logs, metrics, post, resource, send, span, traces,
} from './fixtures.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let upstream: OtlpReceiver;
let gateway: Gateway;
afterEach(async () => {
  await gateway?.close();
  await upstream?.close();
});

async function start(options: Partial<GatewayOptions> = {}, receiver: ReceiverOptions = {}): Promise<Gateway> {
  upstream = await startReceiver(receiver);
  gateway = await startGateway({ catalog: index, upstream: upstream.url, port: 0, backoffMs: 10, ...options });
  return gateway;
}

const good = () => metrics([
  counter('shop.cli.invoked', [countPoint({ 'cli.command': 'buy', success: true, 'exit.code': 0 }, 2)]),
  durations('shop.cli.invoked', [durationPoint({ 'cli.command': 'buy', success: true, 'exit.code': 0 })]),
]);
const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const PROTOBUF_BODY = { contentType: 'application/x-protobuf' };

describe('the gateway over HTTP', () => {
  it.each([
    ['protobuf', false],
    ['json', false],
    ['protobuf', true],
    ['json', true],
  ] as const)('forwards allowed %s data intact (gzip: %s) and answers an empty success', async (format, gzip) => {
    await start();
    const answer = await post(gateway.url, 'metrics', good(), { format, gzip });
    expect(answer.status).toBe(200);
    expect(decodeResponse('metrics', answer.body, format)).toEqual({});
    const rows = upstream.metrics();
    expect(rows.map((r) => [r.name, r.kind, r.unit, r.points[0]?.attributes])).toEqual([
      ['shop.cli.invoked.count', 'sum', '{event}', { 'cli.command': 'buy', success: true, 'exit.code': 0 }],
      ['shop.cli.invoked.duration', 'histogram', 's', { 'cli.command': 'buy', success: true, 'exit.code': 0 }],
    ]);
    expect(rows[0]?.points[0]?.value).toBe(2);
    expect(rows[1]?.points[0]).toMatchObject({ count: 1, bucketCounts: [1, ...Array(DURATION_BUCKETS_SECONDS.length).fill(0)], explicitBounds: DURATION_BUCKETS_SECONDS });
    expect(rows[0]?.resource).toMatchObject({ 'service.name': 'shop', 'app.installation.id': INSTALLATION });
  });

  it('forwards a protobuf export the catalog leaves as it is byte for byte, and encodes anything else again', async () => {
    await start();
    const clean = good();
    for (const m of clean.resourceMetrics[0]!.scopeMetrics[0]!.metrics) m.description = index.event('shop.cli.invoked')!.definition.description;
    const bytes = Buffer.from(encodeRequest('metrics', clean, 'protobuf'));
    // An unknown field (number 99) appended to the request: what it carries must not reach upstream.
    const smuggled = Buffer.concat([bytes, Buffer.from([0x9a, 0x06, 0x04]), Buffer.from('ann!')]);
    for (const [body, headers] of [[bytes, PROTOBUF], [gzipSync(bytes), { ...PROTOBUF, 'content-encoding': 'gzip' }], [smuggled, PROTOBUF]] as const) {
      expect((await send(gateway.url, { headers, body })).status).toBe(200);
    }
    // The same data written as no encoder writes it (fields shuffled, lists packed or not), still exact.
    const variant = writeVariant(requestPlan('metrics'), decodeRequest('metrics', bytes, PROTOBUF_BODY) as never, chooser(rng(1)), false);
    expect(variant.equals(bytes)).toBe(false);
    expect((await send(gateway.url, { headers: PROTOBUF, body: variant })).status).toBe(200);
    // A changed request (a description made the catalog's) is encoded again, and so is JSON.
    expect((await post(gateway.url, 'metrics', good())).status).toBe(200);
    expect((await post(gateway.url, 'metrics', clean, { format: 'json' })).status).toBe(200);
    const received = upstream.requests.map((r) => r.bytes);
    expect(received[0]).toEqual(bytes);
    expect(received[1]).toEqual(bytes);
    expect(received[2]).toEqual(bytes);
    expect(received[2]?.includes('ann!')).toBe(false);
    // Forwarded as sent: not the encoder's layout.
    expect(received[3]).toEqual(variant);
    expect(received[4]).toEqual(bytes);
    expect(received[5]).toEqual(bytes);
    expect(gateway.stats().forwarder.verbatim).toBe(3);
  });

  it('answers partial success with the counts and reasons, and forwards only what is allowed', async () => {
    await start();
    const request = metrics([
      counter('shop.cli.invoked', [countPoint({ 'cli.command': 'buy', 'user.email': 'ann@example.com' })]),
      counter('shop.secret.tracked', [countPoint({}), countPoint({ a: 1 })]),
    ], resource({ 'host.name': 'anns-laptop', 'client.address': '198.51.100.7' }));
    for (const format of ['protobuf', 'json'] as const) {
      const answer = await post(gateway.url, 'metrics', request, { format });
      expect(answer.status).toBe(200);
      const partial = decodeResponse('metrics', answer.body, format).partialSuccess;
      expect(partial?.rejectedDataPoints).toBe('2');
      expect(partial?.errorMessage).toMatch(/shop\.secret\.tracked\.count.*user\.email.*host\.name/);
    }
    const forwarded = JSON.stringify(upstream.requests.map((r) => r.body));
    for (const secret of ['ann@example.com', 'user.email', 'anns-laptop', 'host.name', '198.51.100.7', 'secret']) expect(forwarded).not.toContain(secret);
    expect(upstream.metrics().map((m) => m.name)).toEqual(['shop.cli.invoked.count', 'shop.cli.invoked.count']);
  });

  it('reports rejected log records and spans in their own partial-success fields', async () => {
    await start();
    const logAnswer = await post(gateway.url, 'logs', logs([logRecord('shop.search.typed', { query: 'ann@example.com' }), logRecord('nope.x.y')]));
    expect(decodeResponse('logs', logAnswer.body, 'protobuf').partialSuccess?.rejectedLogRecords).toBe('1');
    const spanAnswer = await post(gateway.url, 'traces', traces([span('shop.cli.invoked'), span('shop.cart.viewed')]), { format: 'json' });
    expect(decodeResponse('traces', spanAnswer.body, 'json').partialSuccess?.rejectedSpans).toBe('1');
    expect(upstream.logs().map((l) => l.attributes.query)).toEqual(['<email>']);
    expect(upstream.spans().map((s) => s.name)).toEqual(['shop.cli.invoked']);
  });

  it('never forwards the client address, forwarding headers or anything else of the client', async () => {
    await start();
    const answer = await post(gateway.url, 'metrics', good(), {
      headers: { 'x-forwarded-for': '203.0.113.50', forwarded: 'for=203.0.113.50', 'x-real-ip': '203.0.113.50', cookie: 'session=ann', 'user-agent': 'anns-agent' },
    });
    expect(answer.status).toBe(200);
    const [forwarded] = upstream.requests;
    expect(Object.keys(forwarded?.headers ?? {}).sort()).toEqual(['connection', 'content-length', 'content-type', 'host']);
    const everything = JSON.stringify(upstream.requests);
    expect(everything).not.toContain('203.0.113.50');
    expect(everything).not.toMatch(/127\.0\.0\.1(?!:\d+")/);
  });

  it.each([
    ['an unknown path', 404, { path: '/v2/metrics', headers: PROTOBUF, body: 'x' }],
    ['GET', 405, { method: 'GET', path: '/v1/metrics' }],
    ['a content type that is not OTLP', 415, { headers: { 'content-type': 'text/plain' }, body: 'hello' }],
    ['no content type', 415, { body: 'hello' }],
    ['an unsupported encoding', 415, { headers: { ...PROTOBUF, 'content-encoding': 'br' }, body: 'x' }],
    ['garbage protobuf', 400, { headers: PROTOBUF, body: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]) }],
    ['truncated protobuf', 400, { headers: PROTOBUF, body: Buffer.from(encodeRequest('metrics', good(), 'protobuf')).subarray(0, 40) }],
    ['text that is not JSON', 400, { headers: { 'content-type': 'application/json' }, body: 'not json' }],
    ['deeply nested JSON', 400, { headers: { 'content-type': 'application/json' }, body: `{"resourceMetrics":${'['.repeat(5000)}${']'.repeat(5000)}}` }],
    ['JSON of the wrong shape', 400, { headers: { 'content-type': 'application/json' }, body: '{"resourceMetrics":{"a":1}}' }],
    ['broken gzip', 400, { headers: { ...PROTOBUF, 'content-encoding': 'gzip' }, body: 'not gzip' }],
  ] as const)('refuses %s with %i and a reason, and forwards nothing', async (_, status, options) => {
    await start();
    const answer = await send(gateway.url, options);
    expect(answer.status).toBe(status);
    expect(reasonOf(answer).length).toBeGreaterThan(5);
    if (status === 405) expect(answer.headers.allow).toBe('POST');
    expect(upstream.requests).toHaveLength(0);
    expect((await post(gateway.url, 'metrics', good())).status).toBe(200);
  });

  it('answers a refusal of a protobuf request with a protobuf google.rpc.Status', async () => {
    await start();
    const answer = await send(gateway.url, { headers: PROTOBUF, body: Buffer.from([0x0a, 0x05, 0x01]) });
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/x-protobuf');
    expect(answer.body[0]).toBe(0x08);
  });

  it('refuses bodies over the limit with 413, declared, streamed or inflated from gzip', async () => {
    await start({ maxBodyBytes: 64 * 1024 });
    const big = Buffer.alloc(100 * 1024, 1);
    expect((await send(gateway.url, { headers: { ...PROTOBUF, 'content-length': String(big.length) }, body: big })).status).toBe(413);
    expect((await streamed(gateway.url, big)).status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024));
    expect((await send(gateway.url, { headers: { ...PROTOBUF, 'content-encoding': 'gzip' }, body: bomb })).status).toBe(413);
    expect(upstream.requests).toHaveLength(0);
  });

  it('refuses a small gzip body that would decode into more messages than its size can honestly hold (413)', async () => {
    await start();
    // 200,000 empty spans: 400 KB of protobuf, under 1 KB sent.
    const scopeSpans = Buffer.alloc(200_000 * 2);
    for (let i = 0; i < scopeSpans.length; i += 2) scopeSpans[i] = 0x12;
    const body = Buffer.concat([Buffer.from([0x0a, ...varint(scopeSpans.length + 4), 0x12, ...varint(scopeSpans.length)]), scopeSpans]);
    const bomb = gzipSync(body);
    const answer = await send(gateway.url, { headers: { ...PROTOBUF, 'content-encoding': 'gzip' }, path: '/v1/traces', body: bomb });
    expect(answer.status).toBe(413);
    expect(reasonOf(answer)).toBe('body holds more than 65536 OTLP messages');
    expect(upstream.requests).toHaveLength(0);
    // Sent uncompressed, the same spans cost their sender every byte: decoded, and refused by the catalog.
    expect((await send(gateway.url, { headers: PROTOBUF, path: '/v1/traces', body })).status).toBe(200);
  });

  it('limits each installation on its own, with 429 and Retry-After', async () => {
    await start({ rate: '3/m' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(gateway.url, 'metrics', good())).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await post(gateway.url, 'metrics', good());
    expect(limited.headers['retry-after']).toBe('20');
    const other = metrics(good().resourceMetrics[0]!.scopeMetrics[0]!.metrics, resource({}, '0e6f3a52-1d2b-4c3d-8e4f-5a6b7c8d9e0f'));
    expect((await post(gateway.url, 'metrics', other)).status).toBe(200);
    expect(upstream.requests).toHaveLength(4);
  });

  it('limits everyone together with the global rate, before reading the body', async () => {
    await start({ globalRate: '2/h' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(gateway.url, 'metrics', good())).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('answers 503 with Retry-After when the upstream is down, and holds nothing', async () => {
    await start({ retries: 1 }, { status: 503, retryAfter: '2' });
    const first = await post(gateway.url, 'metrics', good());
    expect(first.status).toBe(503);
    expect(Number(first.headers['retry-after'])).toBeGreaterThanOrEqual(2);
    const started = Date.now();
    const second = await post(gateway.url, 'metrics', good());
    expect(second.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(500);
    expect(upstream.requests).toHaveLength(2);
    expect(gateway.stats().forwarder).toMatchObject({ pendingBytes: 0, inFlight: 0, down: true });
  });

  it('answers 502 without Retry-After when the upstream refuses a batch for good', async () => {
    await start({}, { status: 400 });
    const answer = await post(gateway.url, 'metrics', good());
    expect(answer.status).toBe(502);
    expect(answer.headers['retry-after']).toBeUndefined();
    expect(reasonOf(answer)).toContain('the upstream answered 400');
  });

  it('answers every request whose data the upstream took before a stop closes connections', async () => {
    await start({}, { delayMs: 300 });
    const answers = Promise.all([post(gateway.url, 'metrics', good()), post(gateway.url, 'metrics', good())]);
    await upstream.waitFor(() => upstream.requests.length > 0);
    await gateway.close();
    expect((await answers).map((a) => a.status)).toEqual([200, 200]);
  });

  it('times out a client that trickles its body', async () => {
    await start({ bodyTimeoutMs: 300 });
    const socket = connect(gateway.port, '127.0.0.1');
    socket.write('POST /v1/metrics HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-protobuf\r\ncontent-length: 100\r\n\r\nabc');
    const reply = await readAll(socket, 5_000);
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
  });

  it('drops a client that never finishes its headers', async () => {
    await start({ headersTimeoutMs: 300 });
    const socket = connect(gateway.port, '127.0.0.1');
    socket.write('POST /v1/metrics HTTP/1.1\r\nhost: x\r\n');
    const started = Date.now();
    await readAll(socket, 5_000);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('answers malformed HTTP with 400 and keeps serving', async () => {
    await start();
    const socket = connect(gateway.port, '127.0.0.1');
    socket.write('this is not http\r\n\r\n');
    expect(await readAll(socket, 5_000)).toMatch(/^HTTP\/1\.1 400/);
    expect((await post(gateway.url, 'metrics', good())).status).toBe(200);
  });

  it('drains a body it refused unread, so the client reads the answer and the connection serves the next request', async () => {
    await start({ maxBodyBytes: 64 * 1024 });
    const socket = connect(gateway.port, '127.0.0.1');
    const responses = responsesOf(socket);
    socket.write(`POST /v1/metrics HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-protobuf\r\ncontent-length: ${200 * 1024}\r\n\r\n`);
    expect(await responses.next()).toMatch(/^HTTP\/1\.1 413 /);
    // The body arrives after the answer (a client writing it while the answer travels): it is read and thrown away.
    socket.write(Buffer.alloc(200 * 1024, 1));
    const body = encodeRequest('metrics', good(), 'protobuf');
    socket.write(`POST /v1/metrics HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-protobuf\r\ncontent-length: ${body.byteLength}\r\n\r\n`);
    socket.write(body);
    expect(await responses.next()).toMatch(/^HTTP\/1\.1 200 /);
    socket.destroy();
    expect(upstream.requests).toHaveLength(1);
  });

  it('drains a refused body before closing a connection the client asked to close, so it ends cleanly, not with a reset', async () => {
    await start({ maxBodyBytes: 64 * 1024 });
    const socket = connect(gateway.port, '127.0.0.1');
    const responses = responsesOf(socket);
    const errors: string[] = [];
    socket.on('error', (err: NodeJS.ErrnoException) => errors.push(err.code ?? err.message));
    const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()));
    socket.write(`POST /v1/metrics HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/x-protobuf\r\ncontent-length: ${1024 * 1024}\r\n\r\n`);
    expect(await responses.next()).toMatch(/^HTTP\/1\.1 413 /);
    for (let i = 0; i < 16; i++) socket.write(Buffer.alloc(64 * 1024, 1));
    await ended;
    expect(errors).toEqual([]);
    socket.destroy();
  });

  it('writes nothing after a drained refusal when the request times out while draining', async () => {
    await start({ maxBodyBytes: 1024, headersTimeoutMs: 400, bodyTimeoutMs: 400 });
    const socket = connect(gateway.port, '127.0.0.1');
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('error', () => {});
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write('POST /v1/metrics HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-protobuf\r\ntransfer-encoding: chunked\r\n\r\n');
    // Past the limit: 413 mid-upload, then the body keeps trickling past Node's request timeout.
    const chunk = `800\r\n${'a'.repeat(0x800)}\r\n`;
    const trickle = setInterval(() => socket.writable && socket.write(chunk), 100);
    await closed;
    clearInterval(trickle);
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received.match(/HTTP\/1\.1 \d{3}/g)).toHaveLength(1);
  });

  it('admits a body the limit allows even when it is larger than the incoming budget', async () => {
    await start({ maxBodyBytes: 200 * 1024, maxIncomingBytes: 100 * 1024 });
    const answer = await send(gateway.url, { headers: { ...PROTOBUF, 'content-length': String(150 * 1024) }, body: Buffer.alloc(150 * 1024, 1) });
    expect(answer.status).toBe(400);
  });

  it('at its connection limit closes an idle connection even behind many busy ones', async () => {
    await start({ maxConnections: 70 });
    const open = (head: string) => {
      const s = connect(gateway.port, '127.0.0.1');
      s.on('error', () => {});
      if (head) s.write(head);
      return s;
    };
    // 64 uploads in progress first (busy), then 6 silent connections: the cap is reached.
    const busy = Array.from({ length: 64 }, () => open('POST /v1/metrics HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-protobuf\r\ncontent-length: 1000\r\n\r\nabc'));
    await new Promise((r) => setTimeout(r, 300));
    const silent = Array.from({ length: 6 }, () => open(''));
    await new Promise((r) => setTimeout(r, 200));
    expect((await post(gateway.url, 'metrics', good())).status).toBe(200);
    for (const s of [...busy, ...silent]) s.destroy();
  });

  it('answers an Expect: 100-continue request refused on its headers without asking for the body', async () => {
    await start();
    for (const [headers, first] of [
      ['content-type: text/plain\r\ncontent-length: 10', /^HTTP\/1\.1 415 /],
      [`content-type: application/x-protobuf\r\ncontent-length: ${10 * 1024 * 1024}`, /^HTTP\/1\.1 413 /],
      ['content-type: application/x-protobuf\r\ncontent-length: 10', /^HTTP\/1\.1 100 Continue$/],
    ] as const) {
      const socket = connect(gateway.port, '127.0.0.1');
      const responses = responsesOf(socket);
      socket.write(`POST /v1/metrics HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\n${headers}\r\n\r\n`);
      expect(await responses.next()).toMatch(first);
      socket.destroy();
    }
  });

  it('answers 503 with Retry-After when more bodies are being received at once than it has room for', async () => {
    await start({ maxBodyBytes: 90 * 1024, maxIncomingBytes: 100 * 1024 });
    const slow = connect(gateway.port, '127.0.0.1');
    const slowAnswers = responsesOf(slow);
    slow.write(`POST /v1/metrics HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-protobuf\r\ncontent-length: ${90 * 1024}\r\n\r\n`);
    slow.write(Buffer.alloc(80 * 1024, 1));
    await new Promise((r) => setTimeout(r, 100));
    const refused = await send(gateway.url, { headers: { ...PROTOBUF, 'content-length': String(60 * 1024) }, body: Buffer.alloc(60 * 1024, 1) });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    slow.write(Buffer.alloc(10 * 1024, 1));
    expect(await slowAnswers.next()).toMatch(/^HTTP\/1\.1 400 /);
    slow.destroy();
    expect((await post(gateway.url, 'metrics', good())).status).toBe(200);
  });

  it('closes the connection idle longest when at its connection limit, so silent sockets lock nobody out', async () => {
    await start({ maxConnections: 5 });
    const silent = Array.from({ length: 5 }, () => connect(gateway.port, '127.0.0.1'));
    const closed = silent.map((s) => new Promise<void>((resolve) => s.on('close', () => resolve())));
    for (const s of silent) s.on('error', () => {});
    await Promise.all(silent.map((s) => new Promise((r) => (s.readyState === 'open' ? r(undefined) : s.once('connect', r)))));
    await new Promise((r) => setTimeout(r, 50));
    expect((await post(gateway.url, 'metrics', good())).status).toBe(200);
    await closed[0];
    for (const s of silent) s.destroy();
  });

  it('holds nothing it decoded while a request waits for the upstream', async () => {
    await start({}, { delayMs: 3_000 });
    // 2,000 distinct series a request: decoded, about a megabyte of objects; encoded (a Buffer, off the heap), ~100 kB.
    const big = metrics([counter('shop.cli.invoked', Array.from({ length: 2_000 }, (_, i) => countPoint({ 'cli.command': `c${i % 8}`, success: i % 2 === 0, 'exit.code': i % 250 }, i + 1)))]);
    expect((await post(gateway.url, 'metrics', big)).status).toBe(200); // warm: codec and verdict caches filled
    gc();
    const before = process.memoryUsage().heapUsed;
    const answers = Promise.all(Array.from({ length: 24 }, () => post(gateway.url, 'metrics', big)));
    await upstream.waitFor(() => gateway.stats().forwarder.pendingBytes > 20 * 90_000);
    gc();
    const waiting = process.memoryUsage().heapUsed - before;
    expect(waiting).toBeLessThan(4 * 1024 * 1024);
    expect((await answers).every((a) => a.status === 200)).toBe(true);
  });

  it('answers a health check for load balancers, saying whether the upstream is up', async () => {
    await start();
    const answer = await send(gateway.url, { method: 'GET', path: '/healthz' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString())).toEqual({ status: 'ok', upstream: 'up' });
  });

  it('counts what it did', async () => {
    await start();
    await post(gateway.url, 'metrics', metrics([counter('shop.cart.viewed', [countPoint({})]), counter('nope.a.b', [countPoint({})])]));
    await send(gateway.url, { method: 'GET' });
    expect(gateway.stats()).toMatchObject({
      statuses: { 200: 1, 405: 1 },
      accepted: { metrics: 1, logs: 0, traces: 0 },
      rejected: { metrics: 1, logs: 0, traces: 0 },
      installations: 1,
    });
  });

  it('serves its counts for Prometheus on a listener of their own, and not where clients send', async () => {
    await start({ metrics: { port: 0 } });
    await post(gateway.url, 'metrics', metrics([counter('shop.cart.viewed', [countPoint({})]), counter('nope.a.b', [countPoint({})])]));
    await send(gateway.url, { headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(gateway.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const base = (gateway.metricsUrl as string).replace(/\/metrics$/, '');
    const scraped = await send(base, { method: 'GET', path: '/metrics' });
    expect(scraped.status).toBe(200);
    expect(scraped.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = scraped.body.toString();
    expect(text).toContain('optel_gateway_items_total{signal="metrics",outcome="accepted"} 1\n');
    expect(text).toContain('optel_gateway_items_total{signal="metrics",outcome="rejected"} 1\n');
    expect(text).toContain('optel_gateway_responses_total{status="200"} 1\n');
    expect(text).toContain('optel_gateway_responses_total{status="415"} 1\n');
    expect(text).toContain('optel_gateway_upstream_batches_total 1\n');
    expect(text).toContain('optel_gateway_upstream_down 0\n');
    expect((await send(base, { method: 'POST', path: '/metrics' })).status).toBe(405);
    expect((await send(base, { method: 'GET', path: '/v1/metrics' })).status).toBe(404);
    expect((await send(gateway.url, { method: 'GET', path: '/metrics' })).status).toBe(404);
  });

  it('serves no metrics unless asked to', async () => {
    await start();
    expect(gateway.metricsUrl).toBeUndefined();
  });
});

/** The message of a refusal's google.rpc.Status, JSON or protobuf (field 2, a string). */
function reasonOf(answer: Answer): string {
  if (answer.headers['content-type'] === 'application/json') return (JSON.parse(answer.body.toString()) as { message: string }).message;
  const at = answer.body.indexOf(0x12);
  return answer.body.subarray(at + 2).toString();
}

/** Posts `body` in chunks without a Content-Length (chunked transfer encoding). */
function streamed(url: string, body: Buffer): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/metrics`, { method: 'POST', headers: PROTOBUF, agent: false }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    for (let i = 0; i < body.length; i += 8192) req.write(body.subarray(i, i + 8192));
    req.end();
  });
}

/** The HTTP responses a raw socket receives, one at a time (each complete: headers and Content-Length body). */
function responsesOf(socket: ReturnType<typeof connect>): { next(): Promise<string> } {
  let buffered = Buffer.alloc(0);
  let waiting: (() => void) | undefined;
  socket.on('data', (d: Buffer) => {
    buffered = Buffer.concat([buffered, d]);
    waiting?.();
  });
  socket.on('error', () => {});
  socket.on('close', () => waiting?.());
  const take = (): string | undefined => {
    const end = buffered.indexOf('\r\n\r\n');
    if (end === -1) return undefined;
    const head = buffered.subarray(0, end).toString('latin1');
    const length = head.startsWith('HTTP/1.1 100') ? 0 : Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
    if (buffered.length < end + 4 + length) return undefined;
    buffered = buffered.subarray(end + 4 + length);
    return head;
  };
  return {
    next: () => new Promise((resolve, reject) => {
      const attempt = () => {
        const head = take();
        if (head !== undefined) return resolve(head);
        if (socket.destroyed) return reject(new Error('connection closed before a complete response'));
        waiting = attempt;
      };
      attempt();
    }),
  };
}

/** Everything a raw socket receives until it closes (or `ms` pass). */
function readAll(socket: ReturnType<typeof connect>, ms: number): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const timer = setTimeout(() => (socket.destroy(), resolve(text)), ms);
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('error', () => {});
    socket.on('close', () => (clearTimeout(timer), resolve(text)));
  });
}

/** A protobuf varint. */
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
