import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exposureNote, parseHeaders, parseListenAddress, parseSize, runGateway, type RunGatewayOptions } from '../../src/gateway/run-gateway.js';
import { startReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { ROOT } from '../support/run-example.js';
import { counter, countPoint, metrics, post, send } from './fixtures.js';

const CATALOG = join(ROOT, 'examples', 'todo', 'catalog.mjs');

let upstream: OtlpReceiver | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

/** Runs the command with output captured; `stop()` ends it like Ctrl+C. */
function run(options: Partial<RunGatewayOptions>) {
  const out: string[] = [];
  const err: string[] = [];
  const stop = new AbortController();
  const exit = runGateway({
    catalog: CATALOG, upstream: 'http://127.0.0.1:9', port: 0, ...options, signal: stop.signal,
    stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) },
  });
  return { out, err, exit, stop: () => stop.abort() };
}

async function listening(out: string[]): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const url = /listening on (http:\/\/\S+?),/.exec(out.join(''))?.[1];
    if (url) return url;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never listened: ${out.join('')}`);
}

describe('optel gateway as a command', () => {
  it('prints where it listens and where it forwards, on loopback by default, and stops cleanly', async () => {
    upstream = await startReceiver();
    const cmd = run({ upstream: `http://user:secret@127.0.0.1:${upstream.port}/?token=abc` });
    const url = await listening(cmd.out);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cmd.out.join('')).toContain(`forwarding to http://127.0.0.1:${upstream.port}\n`);
    expect(cmd.out.join('')).not.toContain('secret');

    const todo = metrics([counter('todo.list.viewed', [countPoint({ filter: 'all' })]), counter('todo.secret.kept', [countPoint({})])]);
    expect((await post(url, 'metrics', todo)).status).toBe(200);
    expect(upstream.requests[0]?.headers.authorization).toMatch(/^Basic /);
    expect(cmd.out.join('')).toContain('200 partial success: rejected 1 data points');

    cmd.stop();
    expect(await cmd.exit).toBe(0);
    expect(cmd.out.join('')).toContain('stopped; forwarded 1 items, rejected 1');
  });

  it('passes the rate, body limit and upstream headers through', async () => {
    upstream = await startReceiver();
    const cmd = run({ upstream: upstream.url, rate: '1/h', maxBody: '1kb', upstreamHeaders: 'x-scope=team%20a', quiet: true });
    const url = await listening(cmd.out);
    const todo = metrics([counter('todo.list.viewed', [countPoint({ filter: 'all' })])]);
    expect((await post(url, 'metrics', todo)).status).toBe(200);
    expect((await post(url, 'metrics', todo)).status).toBe(429);
    expect(upstream.requests[0]?.headers['x-scope']).toBe('team a');
    const big = metrics([counter('todo.list.viewed', Array.from({ length: 40 }, () => countPoint({ filter: 'all' })))]);
    expect((await post(url, 'metrics', big)).status).toBe(413);
    cmd.stop();
    expect(await cmd.exit).toBe(0);
  });

  it.each([
    ['an upstream that is not a URL', { upstream: 'not a url' }, /invalid --upstream/],
    ['an upstream that is not HTTP', { upstream: 'ftp://collector' }, /must be http/],
    ['a catalog module that does not exist', { catalog: '/nope/catalog.mjs' }, /cannot load/],
    ['a malformed rate', { rate: 'fast' }, /invalid rate/],
    ['a malformed size', { maxBody: 'huge' }, /invalid size/],
    ['a port out of range', { port: '70000' }, /invalid port/],
  ] as const)('refuses to start with %s, saying why on stderr', async (_, options, reason) => {
    const cmd = run(options);
    expect(await cmd.exit).toBe(1);
    expect(cmd.err.join('')).toMatch(reason);
    expect(cmd.out).toEqual([]);
  });

  it('refuses a body limit past 1 GiB at start, in one line', async () => {
    const cmd = run({ maxBody: '5gb' });
    expect(await cmd.exit).toBe(1);
    expect(cmd.err.join('')).toBe(`optel gateway: the body limit must be between 1 byte and 1 GiB (got ${5 * 1024 ** 3})\n`);
  });

  it('says which port is taken', async () => {
    upstream = await startReceiver();
    const cmd = run({ port: upstream.port });
    expect(await cmd.exit).toBe(1);
    expect(cmd.err.join('')).toContain(`port ${upstream.port} is already in use`);
  });

  it('serves metrics where --metrics says, prints where, and names --metrics when that port is taken', async () => {
    upstream = await startReceiver();
    const cmd = run({ upstream: upstream.url, metrics: '127.0.0.1:0', quiet: true });
    await listening(cmd.out);
    const metricsUrl = /metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)\n/.exec(cmd.out.join(''))?.[1] as string;
    const scraped = await send(metricsUrl.replace(/\/metrics$/, ''), { method: 'GET', path: '/metrics' });
    expect(scraped.body.toString()).toContain('optel_gateway_upstream_down 0\n');
    cmd.stop();
    expect(await cmd.exit).toBe(0);

    const taken = run({ upstream: upstream.url, metrics: String(upstream.port) });
    expect(await taken.exit).toBe(1);
    expect(taken.err.join('')).toBe(`optel gateway: port ${upstream.port} is already in use; try --metrics ${upstream.port + 1}\n`);
  });

  it('names the metrics address when that is the one it cannot listen on', async () => {
    const cmd = run({ metrics: 'nosuch.invalid:9464' });
    expect(await cmd.exit).toBe(1);
    expect(cmd.err.join('')).toBe('optel gateway: cannot listen on nosuch.invalid: no such local address\n');
  });

  it('refuses a metrics address it cannot read, in one line', async () => {
    const cmd = run({ metrics: 'localhost' });
    expect(await cmd.exit).toBe(1);
    expect(cmd.err.join('')).toBe('optel gateway: invalid metrics address "localhost": use a port or host:port, e.g. 9464 or 127.0.0.1:9464\n');
  });
});

describe('command-line values', () => {
  it('says in the banner when the gateway is bound beyond loopback (tests never bind there)', () => {
    expect(exposureNote('0.0.0.0')).toBe('; bound to 0.0.0.0, reachable from the network');
    expect(exposureNote('::')).toBe('; bound to ::, reachable from the network');
    expect(exposureNote('127.0.0.1')).toBe('');
    expect(exposureNote('::1')).toBe('');
  });

  it.each([
    ['4mb', 4 * 1024 * 1024],
    ['512kb', 512 * 1024],
    ['1g', 1024 ** 3],
    ['1000', 1000],
    [2048, 2048],
  ] as const)('reads the size %s', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each([
    ['9464', { port: 9464 }],
    ['127.0.0.1:9464', { port: 9464, host: '127.0.0.1' }],
    ['[::1]:0', { port: 0, host: '::1' }],
    ['localhost:9464', { port: 9464, host: 'localhost' }],
  ] as const)('reads the metrics address %s', (text, address) => {
    expect(parseListenAddress(text)).toEqual(address);
  });

  it.each(['', ':9464', '9464:', 'host:port', '70000', '::1:9464'])('refuses the metrics address "%s"', (text) => {
    expect(() => parseListenAddress(text)).toThrow(/invalid (metrics address|port)/);
  });

  it('reads headers written like OTEL_EXPORTER_OTLP_HEADERS', () => {
    expect(parseHeaders('Authorization=Bearer%20abc, x-team = a ,')).toEqual({ authorization: 'Bearer abc', 'x-team': 'a' });
    expect(() => parseHeaders('no-equals-sign')).toThrow(/key=value/);
    expect(() => parseHeaders('a=%zz')).toThrow('invalid --upstream-headers: the value of "a" is not valid percent-encoding');
    expect(() => parseHeaders('a=x%0D%0Ay')).toThrow('invalid --upstream-headers: the value of "a" has characters a header cannot carry');
  });
});
