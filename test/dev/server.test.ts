import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { createSseHub } from '../../src/dev/sse.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AggregationTemporalityPreference, OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../../src/dev/server.js';
import type { DevSnapshot } from '../../src/dev/snapshot.js';
import { decodeResponse } from '../../src/otlp/decode.js';
import { encodeRequest } from '../../src/otlp/encode.js';
import { metricsRequest, tracesRequest } from './fixtures.js';
import { nextEvent, post, rawRequest } from './http.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

let server: DevServer;
let lines: string[];

beforeEach(async () => {
  lines = [];
  server = await startDevServer({ port: 0, maxBytes: 64 * 1024, log: (l) => lines.push(l) });
});
afterEach(async () => {
  await server.close();
});

const state = async (): Promise<DevSnapshot> => (await fetch(`${server.url}/api/state`)).json() as Promise<DevSnapshot>;

describe('the OTLP/HTTP receiver of optel dev', () => {
  it('listens on 127.0.0.1 and reports its url', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('accepts protobuf and answers 200 with an empty protobuf response', async () => {
    const res = await post(`${server.url}/v1/metrics`, encodeRequest('metrics', metricsRequest({ count: 2 }), 'protobuf'), PROTOBUF);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    expect(res.bytes.byteLength).toBe(0);
    expect((await state()).events[0]).toMatchObject({ name: 'todo.cli.invoked', count: 2 });
    expect(lines.at(-1)).toMatch(/metrics\s+2 points\s+todo 1\.4\.2\s+\(protobuf, /);
  });

  it('accepts JSON, plain or gzip, and answers {} in JSON', async () => {
    const body = encodeRequest('metrics', metricsRequest(), 'json');
    const plain = await post(`${server.url}/v1/metrics`, body, JSON_TYPE);
    const gzip = await post(`${server.url}/v1/metrics`, gzipSync(body), { ...JSON_TYPE, 'content-encoding': 'gzip' });
    for (const res of [plain, gzip]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(JSON.parse(text(res.bytes))).toEqual({});
    }
    expect((await state()).events[0]?.count).toBe(2);
  });

  it('answers partial success in the request format when it refuses some items', async () => {
    const request = tracesRequest([['ok', 1], ['bad', 1, '0'.repeat(32)]]);
    const json = await post(`${server.url}/v1/traces`, encodeRequest('traces', request, 'json'), JSON_TYPE);
    expect(json.status).toBe(200);
    expect(JSON.parse(text(json.bytes))).toEqual({
      partialSuccess: { rejectedSpans: '1', errorMessage: '1 spans rejected: span with an invalid trace id (1)' },
    });
    const proto = await post(`${server.url}/v1/traces`, encodeRequest('traces', request, 'protobuf'), PROTOBUF);
    expect(decodeResponse('traces', proto.bytes, 'protobuf').partialSuccess).toMatchObject({ rejectedSpans: '1' });
    const snap = await state();
    expect(snap.tiers.traces.items).toBe(2);
    expect(snap.totals.rejectedItems).toBe(2);
    expect(snap.rejections[0]).toMatchObject({ status: 200, path: '/v1/traces' });
  });

  it('counts a cumulative exponential histogram from the OpenTelemetry SDK once per value, as its scale and offset move', async () => {
    const exporter = new OTLPMetricExporter({ url: `${server.url}/v1/metrics`, temporalityPreference: AggregationTemporalityPreference.CUMULATIVE });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'svc' }),
      readers: [reader],
      views: [{ instrumentName: 'job.run.duration', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
    });
    const histogram = provider.getMeter('m').createHistogram('job.run.duration', { unit: 's' });
    // Each value widens the range: the SDK lowers the scale, and 0.01 moves the offset down too.
    for (const seconds of [0.2, 3.5, 0.01]) {
      histogram.record(seconds);
      await reader.forceFlush();
    }
    await provider.shutdown();
    const event = (await state()).events.find((e) => e.name === 'job.run');
    expect(event?.count).toBe(3);
    expect(event?.duration?.count).toBe(3);
    expect(event?.duration?.sum).toBeCloseTo(3.71);
    expect(event?.duration?.buckets.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('lists no event for a metric none of whose data points was accepted', async () => {
    const request = metricsRequest({ event: 'todo.bad.thing' });
    const metrics = request.resourceMetrics[0]!.scopeMetrics[0]!.metrics;
    metrics.splice(0, 1);
    metrics[0]!.histogram!.dataPoints[0]!.bucketCounts = ['1'];
    const res = await post(`${server.url}/v1/metrics`, encodeRequest('metrics', request, 'json'), JSON_TYPE);
    expect(JSON.parse(text(res.bytes))).toMatchObject({ partialSuccess: { rejectedDataPoints: '1' } });
    const snap = await state();
    expect(snap.events).toEqual([]);
    expect(server.summary()).toContain('no events received');
  });

  it('answers 400 with a reason for a garbage body, as a google.rpc.Status in the request format', async () => {
    const proto = await post(`${server.url}/v1/metrics`, randomBytes(64), PROTOBUF);
    expect(proto.status).toBe(400);
    expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
    expect(text(proto.bytes)).toContain('not a valid protobuf');
    const json = await post(`${server.url}/v1/logs`, '{"resourceLogs": [', JSON_TYPE);
    expect(json.status).toBe(400);
    expect(JSON.parse(text(json.bytes))).toEqual({ code: 3, message: expect.stringContaining('not valid') });
    expect((await state()).totals.rejectedRequests).toBe(2);
  });

  it('answers 415 for other content types and encodings', async () => {
    const plain = await post(`${server.url}/v1/metrics`, 'hello', { 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
    expect(JSON.parse(text(plain.bytes)).message).toContain('unsupported Content-Type "text/plain"');
    const brotli = await post(`${server.url}/v1/metrics`, 'x', { ...JSON_TYPE, 'content-encoding': 'br' });
    expect(brotli.status).toBe(415);
  });

  it('answers 413 for a body over the cap, compressed or once inflated', async () => {
    const big = await post(`${server.url}/v1/logs`, 'x'.repeat(100 * 1024), JSON_TYPE);
    expect(big.status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(1024 * 1024, 0x20));
    const inflated = await post(`${server.url}/v1/logs`, bomb, { ...JSON_TYPE, 'content-encoding': 'gzip' });
    expect(inflated.status).toBe(413);
  });

  it('answers 405 with Allow: POST for any other method on an OTLP path', async () => {
    const res = await fetch(`${server.url}/v1/metrics`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('answers 404 elsewhere, pointing at the OTLP paths', async () => {
    const res = await fetch(`${server.url}/v2/metrics`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toContain('/v1/metrics');
  });

  it('refuses requests addressed to a non-loopback host name (DNS rebinding)', async () => {
    const res = await rawRequest(`${server.url}/api/state`, { headers: { host: `evil.example:${server.port}` } });
    expect(res.status).toBe(403);
    expect((await rawRequest(`${server.url}/api/state`, { headers: { host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('survives any input: random bodies, types and encodings on every path', async () => {
    const types = ['application/x-protobuf', 'application/json', 'application/json; charset=utf-8', 'text/plain', ''];
    const encodings = ['', 'gzip', 'identity', 'deflate'];
    const statuses = new Set<number>();
    for (let i = 0; i < 60; i++) {
      const signal = ['metrics', 'logs', 'traces'][i % 3];
      const raw = i % 4 === 0 ? Buffer.from(`{"resource${signal === 'logs' ? 'Logs' : 'Spans'}":[{"resource":{"attributes":[{"key":1}]}}]}`) : randomBytes(i * 7);
      const encoding = encodings[i % encodings.length]!;
      const body = encoding === 'gzip' && i % 2 === 0 ? gzipSync(raw) : raw;
      const headers: Record<string, string> = {};
      if (types[i % types.length]) headers['content-type'] = types[i % types.length]!;
      if (encoding) headers['content-encoding'] = encoding;
      const res = await fetch(`${server.url}/v1/${signal}`, { method: 'POST', body, headers });
      statuses.add(res.status);
      await res.arrayBuffer();
    }
    expect([...statuses].every((s) => [200, 400, 413, 415].includes(s))).toBe(true);
    expect((await fetch(`${server.url}/api/state`)).status).toBe(200);
  });
});

describe('the dashboard side of optel dev', () => {
  it('serves the page, its script and styles with a strict content security policy', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script src="/dashboard.js" defer></script>');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    for (const asset of ['/dashboard.js', '/dashboard.css', '/favicon.svg']) expect((await fetch(`${server.url}${asset}`)).status).toBe(200);
  });

  it('pushes the new state to /events subscribers when data arrives', async () => {
    const res = await fetch(`${server.url}/events`);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    const first = await nextEvent<DevSnapshot>(reader, () => true);
    expect(first.events).toEqual([]);
    await post(`${server.url}/v1/metrics`, encodeRequest('metrics', metricsRequest({ count: 3 }), 'protobuf'), PROTOBUF);
    const update = await nextEvent<DevSnapshot>(reader, (s) => s.events.length > 0);
    expect(update.events[0]).toMatchObject({ name: 'todo.cli.invoked', count: 3 });
    await reader.cancel();
  });

  it('clears the state on POST /api/clear, only with its custom header', async () => {
    await post(`${server.url}/v1/metrics`, encodeRequest('metrics', metricsRequest(), 'protobuf'), PROTOBUF);
    expect((await fetch(`${server.url}/api/clear`, { method: 'POST' })).status).toBe(403);
    // The dashboard's own request, not telemetry: not counted or listed with refused exports.
    expect((await state()).totals.rejectedRequests).toBe(0);
    expect((await state()).rejections).toEqual([]);
    expect((await state()).events).toHaveLength(1);
    expect((await fetch(`${server.url}/api/clear`, { method: 'POST', headers: { 'x-optel-dev': '1' } })).status).toBe(204);
    expect((await state()).events).toHaveLength(0);
  });

  it('serves a bounded number of event streams, and answers more with 503', async () => {
    const readers = [];
    for (let i = 0; i < 16; i++) {
      const res = await fetch(`${server.url}/events`);
      expect(res.status).toBe(200);
      readers.push(res.body!.getReader());
    }
    expect((await fetch(`${server.url}/events`)).status).toBe(503);
    await readers[0]!.cancel();
    await new Promise((r) => setTimeout(r, 50));
    const again = await fetch(`${server.url}/events`);
    expect(again.status).toBe(200);
    await again.body!.cancel();
    for (const reader of readers.slice(1)) await reader.cancel();
  });

  it('skips updates for an event stream whose reader is behind, and disconnects one that stalls', async () => {
    // The hub on a real socket, with a 2 MB state: a reader that never reads holds one message, then is dropped.
    const hub = createSseHub(() => 'x'.repeat(2 * 1024 * 1024), 10, 300);
    const http = createServer((_req, res) => hub.attach(res));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const socket = connect((http.address() as AddressInfo).port, '127.0.0.1');
      socket.on('error', () => {});
      socket.write('GET /events HTTP/1.1\r\nhost: x\r\n\r\n');
      socket.pause(); // never reads
      await new Promise((r) => setTimeout(r, 100));
      for (let i = 0; i < 100 && hub.clients > 0; i++) {
        hub.notify();
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(hub.clients).toBe(0);
      socket.destroy();
    } finally {
      hub.close();
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    }
  });

  it('closes open event streams when it closes, and closing twice is fine', async () => {
    const res = await fetch(`${server.url}/events`);
    const reader = res.body!.getReader();
    await nextEvent(reader, () => true);
    await Promise.all([server.close(), server.close()]);
    await expect(nextEvent(reader, () => true, 2000)).rejects.toThrow();
  });
});

describe('optel dev --save', () => {
  it('appends each accepted request as one line of OTLP/JSON', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'optel-dev-')), 'saved.jsonl');
    const saving = await startDevServer({ port: 0, save: file });
    try {
      await post(`${saving.url}/v1/metrics`, encodeRequest('metrics', metricsRequest({ count: 2 }), 'protobuf'), PROTOBUF);
      await post(`${saving.url}/v1/traces`, encodeRequest('traces', tracesRequest([['ok', 1], ['bad', 1, '0'.repeat(32)]]), 'json'), JSON_TYPE);
      await post(`${saving.url}/v1/logs`, 'garbage', JSON_TYPE);
      const saved = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
      expect(saved).toHaveLength(2);
      const counter = saved[0].resourceMetrics[0].scopeMetrics[0].metrics[0];
      expect(counter).toMatchObject({ name: 'todo.cli.invoked.count', sum: { aggregationTemporality: 1, isMonotonic: true } });
      // 64-bit integers are decimal strings in OTLP/JSON.
      expect(counter.sum.dataPoints[0].asInt).toBe('2');
      expect(saved[1].resourceSpans[0].scopeSpans[0].spans.map((s: { name: string }) => s.name)).toEqual(['ok']);
      expect(saving.snapshot().save).toEqual({ file, lines: 2, errors: 0 });
    } finally {
      await saving.close();
    }
  });

  it('writes the file for its owner only, and removes it again when the server cannot start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-dev-'));
    const file = join(dir, 'saved.jsonl');
    const saving = await startDevServer({ port: 0, save: file });
    try {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const taken = join(dir, 'not-started.jsonl');
      await expect(startDevServer({ port: saving.port, save: taken })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(existsSync(taken)).toBe(false);
    } finally {
      await saving.close();
    }
  });

  it('fails at start when the file cannot be opened', async () => {
    await expect(startDevServer({ port: 0, save: '/nonexistent-dir/x.jsonl' })).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
