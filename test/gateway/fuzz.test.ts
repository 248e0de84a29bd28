import { Agent, request } from 'node:http';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterRequest } from '../../src/gateway/filter-request.js';
import { type Gateway, startGateway } from '../../src/gateway/server.js';
import { decodeSizedRequest } from '../../src/otlp/decode.js';
import { encodeRequest } from '../../src/otlp/encode.js';
import { OTLP_SIGNALS, type OtlpSignal } from '../../src/otlp/signals.js';
import { startReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { counter, countPoint, durationPoint, durations, index, logRecord, logs, metrics, resource, span, traces } from './fixtures.js';
import { chooser, randomRequest, rng } from './random-otlp.js';

// Thousands of random, mutated and hostile requests from a fixed seed, eight at a time: the
// gateway must answer each with a documented status, forward nothing the catalog forbids, keep
// its memory, and still answer a good request at the end.

const SEED = 20_251_123;
const REQUESTS = 5_000;
const DOCUMENTED = new Set([200, 400, 404, 405, 408, 413, 415, 429, 503]);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let upstream: OtlpReceiver;
let gateway: Gateway;
beforeAll(async () => {
  upstream = await startReceiver();
  gateway = await startGateway({ catalog: index, upstream: upstream.url, port: 0, maxBodyBytes: 256 * 1024, rate: '1000000/s', globalRate: '1000000/s' });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

const c = chooser(rng(SEED));
const TYPES = ['application/x-protobuf', 'application/json', 'application/json; charset=utf-8', 'text/plain', '', 'application/x-protobuf; x=1'];

/** Requests the SDK could send, with some of what it never would mixed in. */
function plausible(signal: OtlpSignal) {
  const attrs = (): Record<string, string | number | boolean> => c.pick<Record<string, string | number | boolean>>([{ 'cli.command': 'buy' }, { success: c.chance(0.5), 'exit.code': c.int(300) }, { note: 'ann@example.com', 'user.id': 7 }, {}]);
  if (signal === 'metrics') return metrics([counter(c.pick(['shop.cli.invoked', 'shop.cart.viewed', 'x.y.z']), [countPoint(attrs(), c.int(5))]), durations('shop.cli.invoked', [durationPoint(attrs())])], resource({ 'host.name': 'h' }));
  if (signal === 'logs') return logs([logRecord(c.pick(['shop.search.typed', 'shop.cli.invoked', 'shop.cart.viewed']), { query: 'call +1 555 0100', ...attrs() })]);
  return traces([span(c.pick(['shop.cli.invoked', 'shop.cart.viewed']), attrs())]);
}

function mutateBytes(bytes: Uint8Array): Uint8Array {
  const out = Buffer.from(bytes);
  switch (c.int(4)) {
    case 0: // flip a few bytes
      for (let i = 0; i < 1 + c.int(4) && out.length > 0; i++) out[c.int(out.length)] = c.int(256);
      return out;
    case 1: // truncate
      return out.subarray(0, c.int(out.length + 1));
    case 2: // splice random bytes in
      return Buffer.concat([out.subarray(0, c.int(out.length + 1)), Buffer.from(Array.from({ length: c.int(16) }, () => c.int(256))), out.subarray(c.int(out.length + 1))]);
    default: // repeat a slice (duplicated fields, longer lists)
      return Buffer.concat([out, out.subarray(c.int(out.length + 1))]);
  }
}

/** One fuzz case: method, path, headers and body. */
function fuzzCase(): { method: string; path: string; headers: Record<string, string>; body: Uint8Array } {
  const signal = c.pick(OTLP_SIGNALS);
  const json = c.chance(0.4);
  const source = c.chance(0.5) ? plausible(signal) : randomRequest(signal, c);
  let body: Uint8Array;
  try {
    body = encodeRequest(signal, source as never, json ? 'json' : 'protobuf');
  } catch {
    body = Buffer.from('{}');
  }
  const roll = c.int(10);
  if (roll < 4) body = mutateBytes(body);
  else if (roll === 4) body = Buffer.from(Array.from({ length: c.int(2000) }, () => c.int(256)));
  else if (roll === 5 && json) body = Buffer.from(`{"resource${signal === 'traces' ? 'Spans' : signal === 'logs' ? 'Logs' : 'Metrics'}":${'['.repeat(c.int(300))}`);
  else if (roll === 6 && c.chance(0.2)) body = Buffer.alloc(300 * 1024, c.int(256));
  const headers: Record<string, string> = { 'content-type': c.chance(0.9) ? (json ? 'application/json' : 'application/x-protobuf') : c.pick(TYPES) };
  if (c.chance(0.2)) {
    body = c.chance(0.8) ? gzipSync(body) : mutateBytes(gzipSync(body));
    headers['content-encoding'] = c.pick(['gzip', 'gzip', 'x-gzip', 'deflate']);
  }
  if (c.chance(0.1)) headers['x-forwarded-for'] = '203.0.113.77';
  const path = c.chance(0.95) ? `/v1/${signal}` : c.pick(['/', '/v1/profiles', '/v1/metrics/../logs', `/v1/${signal}?a=%ZZ`]);
  return { method: c.chance(0.97) ? 'POST' : c.pick(['GET', 'PUT', 'DELETE']), path, headers, body };
}

function send(agent: Agent, one: ReturnType<typeof fuzzCase>): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${gateway.url}${one.path}`, { method: one.method, headers: one.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(-1));
    req.end(one.body);
  });
}

describe('the gateway under fuzzing', () => {
  it('answers thousands of random and mutated requests with documented statuses only, forwards only allowed data, and keeps its memory', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const statuses = new Map<number, number>();
    const deadline = Date.now() + 20_000;
    let sent = 0;
    gc();
    const before = process.memoryUsage().heapUsed;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (sent < REQUESTS && Date.now() < deadline) {
        sent++;
        const status = await send(agent, fuzzCase());
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }));
    agent.destroy();

    expect(sent).toBeGreaterThan(1_000);
    expect([...statuses.keys()].filter((s) => !DOCUMENTED.has(s))).toEqual([]);
    expect(statuses.get(200)).toBeGreaterThan(200);
    expect(statuses.get(400)).toBeGreaterThan(200);

    // Whatever reached upstream already passes the catalog untouched, and its bytes hold nothing
    // else (forwarded as the client sent them or encoded again): nothing forbidden slipped through.
    for (const forwarded of upstream.requests) {
      const again = filterRequest(forwarded.signal, structuredClone(forwarded.body), index);
      if (again.message !== '') expect({ body: forwarded.body, message: again.message }).toEqual({ body: forwarded.body, message: '' });
      // A change the filter made without marking it would have let the client's bytes through as
      // they were; filtering them again would then change them. (A batch may join two clean parts
      // of one resource, a change of its own: single-resource bodies only.)
      const resources = Object.values(forwarded.body)[0] as unknown[];
      if (resources.length === 1 && !Buffer.from(encodeRequest(forwarded.signal, again.request, 'protobuf')).equals(encodeRequest(forwarded.signal, forwarded.body, 'protobuf'))) {
        expect(forwarded.body).toBe('left as it was');
      }
      expect(decodeSizedRequest(forwarded.signal, forwarded.bytes, { contentType: 'application/x-protobuf' }).exactBody).toBeDefined();
      expect(forwarded.headers['x-forwarded-for']).toBeUndefined();
    }
    // Both ways were taken: clean protobuf exports as sent, the rest encoded again.
    const { verbatim } = gateway.stats().forwarder;
    expect(verbatim).toBeGreaterThan(10);
    expect(statuses.get(200)! - verbatim).toBeGreaterThan(10);
    expect(JSON.stringify(upstream.requests.map((r) => r.body))).not.toContain('203.0.113.77');

    // Still serving, nothing held, memory back near where it was.
    const answer = await fetch(`${gateway.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceLogs":[]}' });
    expect(answer.status).toBe(200);
    expect(gateway.stats().forwarder).toMatchObject({ pendingBytes: 0, inFlight: 0 });
    upstream.requests.length = 0;
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  }, 60_000);
});
