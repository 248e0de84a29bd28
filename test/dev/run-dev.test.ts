import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDevHost, runDev } from '../../src/dev/run-dev.js';
import { encodeRequest } from '../../src/otlp/encode.js';
import { ROOT } from '../support/run-example.js';
import { metricsRequest } from './fixtures.js';
import { waitUntil } from './http.js';

function sink() {
  let text = '';
  return { write: (s: string) => (text += s), get text() { return text; } };
}

describe('resolveDevHost', () => {
  it('binds loopback by default and accepts any loopback host', () => {
    expect(resolveDevHost(undefined, false)).toEqual({ host: '127.0.0.1' });
    expect(resolveDevHost('localhost', false)).toEqual({ host: 'localhost' });
    // Spelled as in a URL, or fully qualified: what listen() takes.
    expect(resolveDevHost('[::1]', false)).toEqual({ host: '::1' });
    expect(resolveDevHost('localhost.', false)).toEqual({ host: 'localhost' });
  });

  it('listens on [::1] as typed in a URL', async () => {
    const stdout = sink();
    const stop = new AbortController();
    const done = runDev({ port: 0, host: '[::1]', hostExplicit: true, stdout, stderr: sink(), signal: stop.signal });
    await waitUntil(() => stdout.text.includes('Dashboard'));
    const url = /Dashboard\s+(http:\/\/\S+)\//.exec(stdout.text)![1]!;
    expect(url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect((await fetch(`${url}/v1/metrics`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(200);
    stop.abort();
    expect(await done).toBe(0);
  });

  it('refuses a non-loopback host unless --host was given explicitly, and then warns', () => {
    expect(resolveDevHost('0.0.0.0', false)).toEqual({ error: expect.stringContaining('not a loopback address') });
    expect(resolveDevHost('0.0.0.0', true)).toEqual({ host: '0.0.0.0', warning: expect.stringContaining('anyone who can reach') });
  });
});

describe('runDev', () => {
  it('prints the dashboard address, a line per request, and the summary when stopped', async () => {
    const stdout = sink();
    const stop = new AbortController();
    const done = runDev({ port: 0, stdout, stderr: sink(), signal: stop.signal });
    await waitUntil(() => stdout.text.includes('Dashboard'));
    const url = /Dashboard\s+(http:\/\/\S+)\//.exec(stdout.text)![1]!;
    expect(stdout.text).toContain(`export OTEL_EXPORTER_OTLP_ENDPOINT=${url}`);
    // A CLI sends hourly by default: the endpoint alone leaves the dashboard empty for up to an hour.
    expect(stdout.text).toContain('export TODO_TELEMETRY_FLUSH=immediate');
    expect(stdout.text).toContain('<APP>_TELEMETRY_FLUSH for your own app');
    await fetch(`${url}/v1/metrics`, { method: 'POST', body: encodeRequest('metrics', metricsRequest({ count: 4 }), 'protobuf'), headers: { 'content-type': 'application/x-protobuf' } });
    await waitUntil(() => stdout.text.includes('2 points'));
    stop.abort();
    expect(await done).toBe(0);
    expect(stdout.text).toMatch(/optel dev: 1 export request accepted \(/);
    expect(stdout.text).toMatch(/todo\.cli\.invoked\s+4\s/);
  });

  it('prints what senders named (services, metrics) without letting it act on the terminal', async () => {
    const stdout = sink();
    const stop = new AbortController();
    const done = runDev({ port: 0, stdout, stderr: sink(), signal: stop.signal });
    await waitUntil(() => stdout.text.includes('Dashboard'));
    const url = /Dashboard\s+(http:\/\/\S+)\//.exec(stdout.text)![1]!;
    const fake = '\n12:00:00  metrics   99 points   FAKE';
    const request = metricsRequest({ event: `todo.evil\u001b[2J\u001b]52;c;cHduZWQ=\u0007${fake}` });
    request.resourceMetrics[0]!.resource!.attributes[0] = { key: 'service.name', value: { stringValue: `svc\r\u001b[41mFAKE\u202e${fake}` } };
    const post = (body: Uint8Array) => fetch(`${url}/v1/metrics`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
    await post(encodeRequest('metrics', request, 'protobuf'));
    const long = metricsRequest({ event: 'todo.long.name' });
    long.resourceMetrics[0]!.resource!.attributes[0] = { key: 'service.name', value: { stringValue: 'x'.repeat(200_000) } };
    await post(encodeRequest('metrics', long, 'protobuf'));
    await waitUntil(() => stdout.text.split('2 points').length === 3);
    stop.abort();
    expect(await done).toBe(0);
    expect(stdout.text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(stdout.text).toContain('\\x1b[2J');
    // What a sender named never starts a line of its own, and a long name does not make a long line.
    expect(stdout.text.split('\n').filter((line) => line.startsWith('12:00:00'))).toEqual([]);
    expect(Math.max(...stdout.text.split('\n').map((line) => line.length))).toBeLessThan(1000);
  });

  it('says the port is taken and exits 1 instead of throwing', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const stderr = sink();
    try {
      expect(await runDev({ port, stdout: sink(), stderr })).toBe(1);
      expect(stderr.text).toContain(`port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('suggests a port --port accepts when the highest one is taken', async () => {
    const blocker = createServer();
    // Taken by this test, or already by someone else: either way runDev finds it in use.
    await new Promise<void>((r) => blocker.once('error', () => r()).listen(65535, '127.0.0.1', r));
    const stderr = sink();
    try {
      expect(await runDev({ port: 65535, stdout: sink(), stderr })).toBe(1);
      expect(stderr.text).toBe('optel dev: port 65535 is already in use (a Collector, or another optel dev?); try --port 65534\n');
    } finally {
      blocker.close();
    }
  });

  it('refuses a non-loopback host that was not typed as --host', async () => {
    const stderr = sink();
    expect(await runDev({ host: '0.0.0.0', hostExplicit: false, port: 0, stdout: sink(), stderr })).toBe(1);
    expect(stderr.text).toContain('refusing to listen on 0.0.0.0');
  });

  it('prints the summary and exits 0 on SIGINT, as a real process', async () => {
    // The built package, as `optel dev` runs it: the exit path is only honest in a real process.
    const script = `import { runDev } from ${JSON.stringify(join(ROOT, 'dist', 'dev', 'index.js'))}; process.exitCode = await runDev({ port: 0 });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitUntil(() => out.includes('Ctrl+C'));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(out).toContain('optel dev: 0 export requests accepted');
    expect(out).toContain('no events received');
  });
});
