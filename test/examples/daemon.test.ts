import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { cleanEnv, counterTotal, ROOT, tempHome } from '../support/run-example.js';

const SERVER = join(ROOT, 'examples', 'daemon', 'server.mjs');
let child: ChildProcess | undefined;
let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  await receiver?.close();
});

/** Starts the daemon and resolves with its base URL once it prints it. */
function startDaemon(env: Record<string, string>): Promise<string> {
  child = spawn(process.execPath, [SERVER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child!.on('exit', (code) => reject(new Error(`daemon exited ${code}`)));
  });
}

describe('the daemon example (live OTel export)', () => {
  it('exports request metrics and events periodically, and flushes on SIGTERM within its bound', async () => {
    receiver = await startReceiver();
    const url = await startDaemon(cleanEnv(tempHome(), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_METRIC_EXPORT_INTERVAL: '300' }));
    await fetch(`${url}/health`);
    await fetch(`${url}/notes`, { method: 'POST', body: 'hello' });
    await fetch(`${url}/missing`);
    await receiver.waitFor(() => counterTotal(receiver!, 'notesd.http.request.count') === 3);
    expect(counterTotal(receiver, 'notesd.http.request.count', (a) => a['http.route'] === 'unknown')).toBe(1);
    const histogram = receiver.metrics().find((m) => m.name === 'notesd.http.request.duration')!;
    expect(histogram).toMatchObject({ unit: 's', temporality: 'delta' });
    expect(counterTotal(receiver, 'notesd.note.created.count', (a) => a['note.length'] === '0-100')).toBe(1);

    await fetch(`${url}/notes`, { method: 'POST', body: 'again' });
    const exited = new Promise<number | null>((r) => child!.on('exit', r));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
    await receiver.waitFor(() => receiver!.logs().filter((l) => l.eventName === 'notesd.note.created').length === 2);
    expect(counterTotal(receiver, 'notesd.note.created.count')).toBe(2);
    expect(receiver.metrics()[0]!.resource).toMatchObject({ 'service.name': 'notesd', 'service.version': '0.3.0' });
  });

  it('delivers what short-lived runs of the same app spooled, without a sender process', async () => {
    receiver = await startReceiver();
    const home = tempHome();
    const { appendToSpool } = await import('../../src/spool/append.js');
    const hour = 3_600_000;
    const at = Math.floor(Date.now() / hour) * hour - hour;
    const spool = join(home, '.local', 'state', 'notesd', 'telemetry', 'spool');
    const records = [1, 2, 3].map(() => ({ name: 'notesd.note.created', time: at, attrs: { 'note.length': '100-1000' }, tiers: ['metrics' as const] }));
    appendToSpool(spool, { optel: 1, app: 'notesd', version: '0.2.0', installationId: 'from-a-cli-run', at }, records);
    await startDaemon(cleanEnv(home, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_METRIC_EXPORT_INTERVAL: '300' }));
    await receiver.waitFor(() => counterTotal(receiver!, 'notesd.note.created.count', (a) => a['note.length'] === '100-1000') === 3);
    const row = receiver.metrics().find((m) => m.resource['app.installation.id'] === 'from-a-cli-run')!;
    expect(row.resource['service.version']).toBe('0.2.0');
  });

  it('delivers spooled records only in the tiers the user still allows, asked again on every round', async () => {
    receiver = await startReceiver();
    const home = tempHome();
    const userFile = join(home, '.config', 'notesd', 'telemetry.json');
    mkdirSync(dirname(userFile), { recursive: true });
    writeFileSync(userFile, JSON.stringify({ metrics: true, events: true }));
    await startDaemon(cleanEnv(home, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_METRIC_EXPORT_INTERVAL: '300' }));
    // The user withdraws the events tier while the daemon runs; then a CLI run's spool turns up.
    writeFileSync(userFile, JSON.stringify({ metrics: true, events: false }));
    const { appendToSpool } = await import('../../src/spool/append.js');
    const hour = 3_600_000;
    const at = Math.floor(Date.now() / hour) * hour - hour;
    const spool = join(home, '.local', 'state', 'notesd', 'telemetry', 'spool');
    const record = { name: 'notesd.note.created', time: at, attrs: { 'note.length': '100-1000' }, tiers: ['metrics' as const, 'events' as const] };
    appendToSpool(spool, { optel: 1, app: 'notesd', version: '0.2.0', installationId: 'from-a-cli-run', at }, [record, record]);
    await receiver.waitFor(() => counterTotal(receiver!, 'notesd.note.created.count', (a) => a['note.length'] === '100-1000') === 2);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.logs().filter((l) => l.eventName === 'notesd.note.created')).toHaveLength(0);
  });

  it('records nothing and opens no socket to the collector with DO_NOT_TRACK=1', async () => {
    receiver = await startReceiver();
    const url = await startDaemon(cleanEnv(tempHome(), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_METRIC_EXPORT_INTERVAL: '200', DO_NOT_TRACK: '1' }));
    await fetch(`${url}/health`);
    await new Promise((r) => setTimeout(r, 800));
    child!.kill('SIGTERM');
    await new Promise((r) => child!.on('exit', r));
    expect(receiver.requests).toHaveLength(0);
  });
});
