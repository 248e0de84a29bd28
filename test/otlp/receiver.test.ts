import { afterEach, describe, expect, it } from 'vitest';
import { encodeRequest } from '../../src/otlp/encode.js';
import { signalForPath } from '../../src/otlp/signals.js';
import { type OtlpReceiver, type ReceiverOptions, startReceiver } from '../support/otlp-receiver.js';
import { sendLogs } from './official-exporters.js';

const emptyLogs = () => encodeRequest('logs', { resourceLogs: [] }, 'protobuf');

describe('the test OTLP receiver', () => {
  let receiver: OtlpReceiver | undefined;
  const start = async (opts?: ReceiverOptions) => {
    receiver = await startReceiver(opts);
    return receiver;
  };
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('listens on a loopback port of its own', async () => {
    const r = await start();
    expect(r.url).toBe(`http://127.0.0.1:${r.port}`);
    expect(r.port).toBeGreaterThan(0);
  });

  it('answers 200 with an empty response in the format of the request', async () => {
    const r = await start();
    const asJson = await fetch(`${r.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceLogs":[]}',
    });
    expect(asJson.status).toBe(200);
    expect(asJson.headers.get('content-type')).toBe('application/json');
    expect(await asJson.text()).toBe('{}');

    const asProtobuf = await fetch(`${r.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: emptyLogs(),
    });
    expect(asProtobuf.status).toBe(200);
    expect((await asProtobuf.arrayBuffer()).byteLength).toBe(0);
    expect(r.requests.map((q) => q.signal)).toEqual(['logs', 'logs']);
  });

  it('answers the configured status, with Retry-After, and still records the request', async () => {
    const r = await start({ status: (signal) => (signal === 'logs' ? 503 : 200), retryAfter: '2' });
    const res = await fetch(`${r.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: emptyLogs(),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(r.requests).toHaveLength(1);
  });

  it('answers bad bodies with the decoder status and records why', async () => {
    const r = await start();
    const res = await fetch(`${r.url}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(res.status).toBe(415);
    expect(r.rejected).toEqual([{ path: '/v1/metrics', status: 415, reason: expect.stringContaining('text/plain') }]);
    expect(r.requests).toEqual([]);
  });

  it('answers 404 off the OTLP paths', async () => {
    const r = await start();
    expect((await fetch(`${r.url}/v2/metrics`, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('hangs when asked to, and close() still ends the stuck connection promptly', async () => {
    const r = await start({ hang: true });
    const pending = fetch(`${r.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: emptyLogs(),
    });
    await r.waitFor(() => r.requests.length === 1);
    const started = performance.now();
    await r.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(pending).rejects.toThrow();
  });

  it('reports partial success in a way the official exporter accepts as a success', async () => {
    const r = await start({ partial: { rejected: 1, errorMessage: 'one record dropped' } });
    await expect(sendLogs(r.url, { formats: ['protobuf', 'json'] })).resolves.toBeUndefined();
    expect(r.logs()).toHaveLength(4);
  });

  it('answers one configured status for every signal', async () => {
    const r = await start({ status: 400 });
    const res = await fetch(`${r.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(r.requests.map((q) => q.signal)).toEqual(['traces']);
  });

  it('gives up waiting with a clear error', async () => {
    const r = await start();
    await expect(r.waitFor(() => false, 50)).rejects.toThrow('within 50 ms');
  });
});

describe('signalForPath', () => {
  it('knows the three standard paths, with or without a prefix, query or trailing slash', () => {
    expect(signalForPath('/v1/metrics')).toBe('metrics');
    expect(signalForPath('/otlp/v1/logs?x=1')).toBe('logs');
    expect(signalForPath('/v1/traces/')).toBe('traces');
    expect(signalForPath('/v1/spans')).toBeUndefined();
    expect(signalForPath('/xv1/metrics')).toBeUndefined();
  });
});
