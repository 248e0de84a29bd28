import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { flattenLogs } from '../../src/otlp/flatten.js';
import type { OtlpLogsRequest } from '../../src/otlp/types.js';
import { appendToSpool } from '../../src/spool/append.js';
import { recoverStaleClaims } from '../../src/spool/claim.js';
import { spoolFiles } from '../../src/spool/file-name.js';
import { readSpoolFile } from '../../src/spool/read.js';
import { startReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { cleanEnv, counterTotal, filesUnder, ROOT, runNode, runTodo, settle, tempHome, todoStateDir, toReceiver } from '../support/run-example.js';

const open: OtlpReceiver[] = [];
async function receiver(options: Parameters<typeof startReceiver>[0] = {}): Promise<OtlpReceiver> {
  const r = await startReceiver(options);
  open.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

const invoked = (r: OtlpReceiver) => counterTotal(r, 'todo.cli.invoked.count');
const spoolDir = (home: string) => join(todoStateDir(home), 'spool');
const spooled = (home: string) => (existsSync(spoolDir(home)) ? readdirSync(spoolDir(home)).filter((n) => n.endsWith('.jsonl')) : []);

/** Waits until the back-off written after a failed delivery has expired. */
async function backoffExpired(home: string): Promise<void> {
  const file = join(spoolDir(home), '.backoff.json');
  for (let i = 0; i < 400 && !existsSync(file); i++) await settle(50);
  const { until } = JSON.parse(readFileSync(file, 'utf8')) as { until: number };
  await settle(Math.max(0, until - Date.now()) + 50);
}

/** Waits until the detached sender started by the last run has taken the lock and let it go. */
async function senderDone(home: string, spool = spoolDir(home)): Promise<void> {
  const lock = join(spool, '.sender.lock');
  for (let i = 0; i < 30 && !existsSync(lock); i++) await settle(50);
  for (let i = 0; i < 600 && existsSync(lock); i++) await settle(50);
}

/** A plain `todo list` whose sender delivers what earlier runs spooled: waits for both runs' counts and for the sender to end. */
async function deliverWithPlainRun(r: OtlpReceiver, home: string, env: Record<string, string> = {}): Promise<void> {
  await runTodo(home, ['list'], toReceiver(r, env));
  await r.waitFor(() => invoked(r) >= 2, 20_000);
  await senderDone(home);
}

/** ≈ 3 MB of log text spooled by earlier runs: 3,000 events-tier records, each text starting with its number. */
function spoolLogText(home: string): void {
  const text = 'y'.repeat(1000);
  const at = Date.now() - 10_000;
  const records = Array.from({ length: 3000 }, (_, i) => ({ name: 'todo.item.added', time: at + i, attrs: { text: `${i} ${text}` }, tiers: ['events' as const] }));
  appendToSpool(spoolDir(home), { optel: 1, app: 'todo', version: '1.0.0', installationId: 'i', at }, records, 4 * 1024 * 1024);
}

/** A port nothing listens on, found by binding and releasing it. */
async function freePort(): Promise<number> {
  const r = await startReceiver();
  const { port } = r;
  await r.close();
  return port;
}

/** Sender processes still alive for `home` (their arguments name its state directory). */
function sendersOf(home: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
  return ps.split('\n').filter((line) => line.includes('sender-main') && line.includes(home));
}

const HOUR = 3_600_000;

/**
 * `todo list` twice in one completed hour (moved two hours back): once as stored (events off), once
 * with the environment turning events on — one installation's window spooled under two settings.
 * Returns that hour's start.
 */
async function spoolOneHourUnderTwoSettings(home: string): Promise<number> {
  const env = { TODO_TELEMETRY_FLUSH: 'hourly' };
  await runTodo(home, ['telemetry', 'off', 'events']);
  await runTodo(home, ['list'], env);
  await runTodo(home, ['list'], { ...env, TODO_TELEMETRY_EVENTS: 'on' });
  const past = Math.floor((Date.now() - 2 * HOUR) / HOUR) * HOUR;
  spooled(home).forEach((name, i) => renameSync(join(spoolDir(home), name), join(spoolDir(home), name.replace(/^\d{13}/, String(past + 100 + i)))));
  return past;
}

describe('delivery from the spool', () => {
  it('counts exactly 50 when 50 CLI processes run at once', async () => {
    const r = await receiver();
    const home = tempHome();
    const env = toReceiver(r);
    const runs = await Promise.all(Array.from({ length: 50 }, (_, i) => runTodo(home, ['add', `item ${i}`], { ...env, TODO_DB: join(home, `db-${i}.json`) })));
    expect(runs.every((run) => run.code === 0)).toBe(true);
    await r.waitFor(() => invoked(r) >= 50, 30_000);
    await senderDone(home);
    await settle(500);
    expect(invoked(r)).toBe(50);
    expect(counterTotal(r, 'todo.item.added.count')).toBe(50);
    expect(spooled(home)).toEqual([]);
  }, 90_000);

  it('keeps what failed while the collector was down and delivers it once it is up: exactly 6', async () => {
    const port = await freePort();
    const home = tempHome();
    const env = { TODO_TELEMETRY_FLUSH: 'immediate', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` };
    for (let i = 0; i < 5; i++) expect((await runTodo(home, ['list'], env)).code).toBe(0);
    await senderDone(home);
    expect(spooled(home).length).toBeGreaterThan(0);
    await backoffExpired(home);
    const r = await receiver({ port });
    await runTodo(home, ['list'], env);
    await r.waitFor(() => invoked(r) >= 6, 20_000);
    await senderDone(home);
    await settle(300);
    expect(invoked(r)).toBe(6);
    expect(spooled(home)).toEqual([]);
  }, 90_000);

  it('re-queues the claim when the collector hangs, and the CLI exits without waiting', async () => {
    const hanging = await receiver({ hang: true });
    const home = tempHome();
    const env = { TODO_TELEMETRY_FLUSH: 'immediate', OTEL_EXPORTER_OTLP_ENDPOINT: hanging.url, OTEL_EXPORTER_OTLP_TIMEOUT: '1000' };
    const run = await runTodo(home, ['add', 'x'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('added #1: x\n');
    await senderDone(home);
    expect(spooled(home).length).toBe(1);
    expect(existsSync(join(spoolDir(home), '.backoff.json'))).toBe(true);
    expect(filesUnder(join(spoolDir(home), '.claims'))).toEqual([]);
  }, 60_000);

  it('merges back the claim of a sender killed mid-send and delivers it exactly once', async () => {
    const hanging = await receiver({ hang: true });
    const home = tempHome();
    await runTodo(home, ['add', 'x'], { TODO_TELEMETRY_FLUSH: 'immediate', OTEL_EXPORTER_OTLP_ENDPOINT: hanging.url, OTEL_EXPORTER_OTLP_TIMEOUT: '60000' });
    const claims = join(spoolDir(home), '.claims');
    for (let i = 0; i < 200 && filesUnder(claims).length === 0; i++) await settle(50);
    expect(filesUnder(claims).length).toBe(1);
    const { pid } = JSON.parse(readFileSync(join(spoolDir(home), '.sender.lock'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');
    await settle(200);

    const r = await receiver();
    await deliverWithPlainRun(r, home);
    await settle(300);
    expect(invoked(r)).toBe(2);
    expect(counterTotal(r, 'todo.item.added.count')).toBe(1);
    expect(filesUnder(claims)).toEqual([]);
  }, 60_000);

  it('sends nothing twice when the sender is killed between writing what is left of a batch and deleting what it replaces', async () => {
    const r = await receiver();
    const home = tempHome();
    const hook = join(ROOT, 'test', 'fixtures', 'kill-after-claim-write.mjs');
    const env = { TODO_TELEMETRY_EVENTS: 'on', TODO_TELEMETRY_FLUSH: 'immediate' };
    await runTodo(home, ['add', 'milk'], toReceiver(r, { ...env, NODE_OPTIONS: `--import ${hook}` }));
    // The metrics went out; the sender died right after writing the rest (the log record) into its claim.
    await r.waitFor(() => invoked(r) === 1, 20_000);
    for (let i = 0; i < 400 && sendersOf(home).length > 0; i++) await settle(50);
    expect(sendersOf(home)).toEqual([]);
    await deliverWithPlainRun(r, home, env);
    await settle(500);
    expect(invoked(r)).toBe(2);
    expect(r.logs().filter((l) => l.eventName === 'todo.item.added')).toHaveLength(1);
  }, 60_000);

  it('sends nothing twice when the sender is killed as it puts back what the collector refused', async () => {
    // Metrics are accepted; the first logs export is refused, and the sender dies writing it back.
    let logsExports = 0;
    const r = await receiver({ status: (signal) => (signal === 'logs' && ++logsExports === 1 ? 500 : 200) });
    const home = tempHome();
    const hook = join(ROOT, 'test', 'fixtures', 'kill-after-claim-write.mjs');
    const env = { TODO_TELEMETRY_EVENTS: 'on', TODO_TELEMETRY_FLUSH: 'immediate' };
    await runTodo(home, ['add', 'milk'], toReceiver(r, { ...env, NODE_OPTIONS: `--import ${hook}`, KILL_AT_CLAIM_WRITE: '2' }));
    await r.waitFor(() => logsExports === 1, 20_000);
    for (let i = 0; i < 400 && sendersOf(home).length > 0; i++) await settle(50);
    expect(sendersOf(home)).toEqual([]);
    await deliverWithPlainRun(r, home, env);
    await settle(500);
    expect(invoked(r)).toBe(2);
    const accepted = r.requests.filter((q, i) => q.signal === 'logs' && r.requests.slice(0, i).some((x) => x.signal === 'logs'));
    expect(accepted.flatMap((q) => flattenLogs(q.body as OtlpLogsRequest)).filter((l) => l.eventName === 'todo.item.added')).toHaveLength(1);
  }, 60_000);

  it('keeps what it could not send when the disk is full and the collector down: the files go back as they were', async () => {
    const r = await receiver({ status: 503 });
    const home = tempHome();
    const hook = join(ROOT, 'test', 'fixtures', 'claim-disk-full.mjs');
    await runTodo(home, ['list'], toReceiver(r, { TODO_TELEMETRY_FLUSH: 'immediate', NODE_OPTIONS: `--import ${hook}` }));
    await r.waitFor(() => r.requests.length > 0, 20_000);
    await senderDone(home);
    const records = spoolFiles(readdirSync(spoolDir(home))).flatMap((f) => readSpoolFile(spoolDir(home), f).records);
    expect(records.filter((rec) => rec.name === 'todo.cli.invoked')).toHaveLength(1);
  }, 60_000);

  it('ends its sender when the disk is full and a spooled file holds nothing it may send (no claim loop)', async () => {
    const r = await receiver();
    const home = tempHome();
    // Spooled by a run that had events on; the user has turned them off since, so nothing of it is sendable.
    expect((await runTodo(home, ['telemetry', 'off', 'events'])).code).toBe(0);
    const at = Date.now() - 10_000;
    appendToSpool(spoolDir(home), { optel: 1, app: 'todo', version: '1.0.0', installationId: 'i', at }, [{ name: 'todo.item.added', time: at, attrs: {}, tiers: ['events'] }]);
    const hook = join(ROOT, 'test', 'fixtures', 'claim-disk-full.mjs');
    await runTodo(home, ['list'], toReceiver(r, { TODO_TELEMETRY_FLUSH: 'immediate', NODE_OPTIONS: `--import ${hook}` }));
    await senderDone(home);
    for (let i = 0; i < 100 && sendersOf(home).length > 0; i++) await settle(50);
    expect(sendersOf(home)).toEqual([]);
  }, 60_000);

  it('does not send again what the collector accepted when the sender is killed before the rest of the batch', async () => {
    // Metrics are accepted at once; log records go to a collector that never answers, and the sender dies waiting.
    const metricsOnly = await receiver();
    const hanging = await receiver({ hang: true });
    const home = tempHome();
    await runTodo(home, ['add', 'x'], {
      TODO_TELEMETRY_FLUSH: 'immediate', TODO_TELEMETRY_EVENTS: 'on', OTEL_EXPORTER_OTLP_TIMEOUT: '60000',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${metricsOnly.url}/v1/metrics`, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${hanging.url}/v1/logs`,
    });
    await hanging.waitFor(() => hanging.requests.length > 0, 20_000);
    expect(invoked(metricsOnly)).toBe(1);
    const { pid } = JSON.parse(readFileSync(join(spoolDir(home), '.sender.lock'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');
    await settle(200);

    // The next run merges the dead sender's claim back: its log records still go, its counts do not go twice.
    const r = await receiver();
    await runTodo(home, ['list'], toReceiver(r, { TODO_TELEMETRY_EVENTS: 'on' }));
    const named = (name: string) => r.logs().filter((l) => l.eventName === name).length;
    await r.waitFor(() => named('todo.cli.invoked') >= 2, 20_000);
    await senderDone(home);
    await settle(300);
    expect(invoked(r)).toBe(1);
    expect(counterTotal(r, 'todo.item.added.count')).toBe(0);
    expect([named('todo.cli.invoked'), named('todo.item.added')]).toEqual([2, 1]);
  }, 60_000);

  it('delivers each record with the consent it was recorded under, whoever launched the sender', async () => {
    const r = await receiver();
    const home = tempHome();
    // The first run (events off) starts the sender; the second (events on) exits while it settles.
    await Promise.all([
      runTodo(home, ['list'], toReceiver(r)),
      settle(50).then(() => runTodo(home, ['add', 'x'], toReceiver(r, { TODO_TELEMETRY_EVENTS: 'on', TODO_DB: join(home, 'db2.json') }))),
    ]);
    await r.waitFor(() => invoked(r) >= 2 && r.logs().length >= 2, 20_000);
    expect(r.logs().map((l) => l.eventName).sort()).toEqual(['todo.cli.invoked', 'todo.item.added']);
  }, 60_000);

  it('stops delivering a tier the user has withdrawn since it was spooled', async () => {
    const r = await receiver();
    const home = tempHome();
    await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'hourly', TODO_TELEMETRY_EVENTS: 'on' });
    mkdirSync(join(home, '.config', 'todo'), { recursive: true });
    writeFileSync(join(home, '.config', 'todo', 'telemetry.json'), JSON.stringify({ events: false }));
    await deliverWithPlainRun(r, home);
    expect(r.logs()).toHaveLength(0);
  }, 60_000);

  it('delivers a tier a run\'s environment turned on over the stored choice, whoever launches the sender', async () => {
    const r = await receiver();
    const home = tempHome();
    await runTodo(home, ['telemetry', 'off', 'events']);
    await runTodo(home, ['add', 'x'], { TODO_TELEMETRY_FLUSH: 'hourly', TODO_TELEMETRY_EVENTS: 'on' });
    // This run has events off (the stored choice); its sender delivers both runs' records.
    await deliverWithPlainRun(r, home);
    expect(r.logs().map((l) => l.eventName).sort()).toEqual(['todo.cli.invoked', 'todo.item.added']);
  }, 60_000);

  it.each([
    ['the admin withdraws it', (home: string) => writeFileSync(join(home, 'policy.json'), JSON.stringify({ events: false }))],
    ['the user says `telemetry off events` again', async (home: string) => {
      await settle(20); // a new choice, a new file time
      await runTodo(home, ['telemetry', 'off', 'events'], { TODO_TELEMETRY_POLICY_FILE: join(home, 'policy.json') });
    }],
  ])('no longer delivers a tier an environment turned on over the stored choice once %s', async (_, withdraw) => {
    const r = await receiver();
    const home = tempHome();
    const policy = { TODO_TELEMETRY_POLICY_FILE: join(home, 'policy.json') };
    await runTodo(home, ['telemetry', 'off', 'events'], policy);
    await runTodo(home, ['add', 'secret-plan'], { ...policy, TODO_TELEMETRY_FLUSH: 'hourly', TODO_TELEMETRY_EVENTS: 'on' });
    await withdraw(home);
    await deliverWithPlainRun(r, home, policy);
    expect(r.logs()).toHaveLength(0);
    expect(JSON.stringify(r.requests.map((q) => q.body))).not.toContain('secret-plan');
  }, 60_000);

  it('delivers a spool file whose override is damaged as if it had none, and the rest with it', async () => {
    const r = await receiver();
    const home = tempHome();
    await runTodo(home, ['telemetry', 'off', 'events']);
    await runTodo(home, ['add', 'x'], { TODO_TELEMETRY_FLUSH: 'hourly', TODO_TELEMETRY_EVENTS: 'on' });
    const [file] = spooled(home);
    const path = join(spoolDir(home), file!);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/"overridden":\{[^}]*\}/, '"overridden":"events"'));
    await deliverWithPlainRun(r, home);
    expect(r.logs()).toHaveLength(0);
  }, 60_000);

  it('ends its sender when the collector trickles an answer that never ends', async () => {
    // Headers, then one byte every 300 ms: the HTTP timeout never fires on a socket that is not idle.
    const trickling = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      const drip = setInterval(() => res.write('\0'), 300);
      res.on('close', () => clearInterval(drip));
    });
    await new Promise<void>((resolve) => trickling.listen(0, '127.0.0.1', resolve));
    const home = tempHome();
    try {
      const url = `http://127.0.0.1:${(trickling.address() as AddressInfo).port}`;
      await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'immediate', OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_TIMEOUT: '1000' });
      await settle(500);
      expect(sendersOf(home)).toHaveLength(1);
      for (let i = 0; i < 200 && sendersOf(home).length > 0; i++) await settle(100);
      expect(sendersOf(home)).toEqual([]);
    } finally {
      trickling.closeAllConnections();
      trickling.close();
    }
  }, 60_000);

  it('leaves no spool behind when telemetry is turned off while a failing export is in flight', async () => {
    // Answers (500) 4 s after the export arrives: long after `telemetry off` has run, even on a loaded machine.
    const r = await receiver({ status: 500, delayMs: 4_000 });
    const home = tempHome();
    await runTodo(home, ['list'], toReceiver(r));
    await r.waitFor(() => r.requests.length > 0, 20_000);
    expect((await runTodo(home, ['telemetry', 'off'], toReceiver(r))).code).toBe(0);
    expect(existsSync(spoolDir(home))).toBe(false);
    // Give the failed export's re-queue time to (not) happen.
    await settle(5_000);
    expect(existsSync(spoolDir(home))).toBe(false);
  }, 60_000);

  it('puts back on disk only the tiers still allowed when a failing export ends after `telemetry off events`', async () => {
    // Answers (500) 4 s after the export arrives: long after the withdrawal has run.
    const r = await receiver({ status: 500, delayMs: 4_000 });
    const home = tempHome();
    expect((await runTodo(home, ['telemetry', 'on'])).code).toBe(0);
    await runTodo(home, ['add', 'call', 'the', 'dentist'], toReceiver(r));
    await r.waitFor(() => r.requests.length > 0, 20_000);
    expect((await runTodo(home, ['telemetry', 'off', 'events'])).code).toBe(0);
    await senderDone(home);
    const text = spooled(home).map((n) => readFileSync(join(spoolDir(home), n), 'utf8')).join('');
    expect(text).toContain('"todo.item.added"');
    expect(text).not.toContain('dentist');
  }, 60_000);

  it('does not re-queue a failed batch whose claim a sender taking over has put back (it would be sent twice)', async () => {
    // Answers (500) 4 s after the export arrives; meanwhile the claim is taken back, as a sender
    // finding it over an hour old (its sender hung, or the laptop slept) does.
    const r = await receiver({ status: 500, delayMs: 4_000 });
    const home = tempHome();
    await runTodo(home, ['list'], toReceiver(r));
    await r.waitFor(() => r.requests.length > 0, 20_000);
    expect(recoverStaleClaims(spoolDir(home), Date.now() + 61 * 60_000)).toBe(1);
    await senderDone(home);
    const records = spoolFiles(readdirSync(spoolDir(home))).flatMap((f) => readSpoolFile(spoolDir(home), f).records);
    expect(records.filter((rec) => rec.name === 'todo.cli.invoked')).toHaveLength(1);
    expect(new Set(records.map((rec) => rec.name)).size).toBe(records.length);
  }, 60_000);

  it('sends no further signal of a batch once telemetry is turned off during its first export', async () => {
    // Every export is answered 3 s after it arrives: `telemetry off` runs while the metrics wait.
    const r = await receiver({ delayMs: 3_000 });
    const home = tempHome();
    await runTodo(home, ['list'], toReceiver(r, { TODO_TELEMETRY_EVENTS: 'on' }));
    await r.waitFor(() => r.requests.length > 0, 20_000);
    expect((await runTodo(home, ['telemetry', 'off'], toReceiver(r))).code).toBe(0);
    await settle(5_000);
    expect(r.requests.map((q) => q.signal)).toEqual(['metrics']);
  }, 60_000);

  it('sends nothing more once telemetry is turned off while the exporter retries a refused export', async () => {
    // 503 to everything: the OTLP exporter retries each export for up to its timeout, a second and more apart.
    const r = await receiver({ status: 503 });
    const home = tempHome();
    expect((await runTodo(home, ['telemetry', 'on'])).code).toBe(0);
    await runTodo(home, ['add', 'call', 'the', 'dentist'], toReceiver(r));
    await r.waitFor(() => r.requests.length > 0, 20_000);
    expect((await runTodo(home, ['telemetry', 'off'], toReceiver(r))).code).toBe(0);
    const attempts = r.requests.length;
    await senderDone(home);
    await settle(1_000);
    expect(r.requests.length).toBe(attempts);
    expect(existsSync(spoolDir(home))).toBe(false);
  }, 60_000);

  it('sends no log record of a batch once `telemetry off events` runs during its metrics export, and takes that for no failure', async () => {
    // Every export is answered 3 s after it arrives: the withdrawal runs while the metrics wait.
    const r = await receiver({ delayMs: 3_000 });
    const home = tempHome();
    expect((await runTodo(home, ['telemetry', 'on'])).code).toBe(0);
    await runTodo(home, ['add', 'call', 'the', 'dentist'], toReceiver(r));
    await r.waitFor(() => r.requests.length > 0, 20_000);
    expect((await runTodo(home, ['telemetry', 'off', 'events'], toReceiver(r))).code).toBe(0);
    await senderDone(home);
    expect(r.requests.map((q) => q.signal)).toEqual(['metrics']);
    // Nothing of it is left to send, and no back-off holds the next delivery.
    expect(spooled(home)).toEqual([]);
    expect(existsSync(join(spoolDir(home), '.backoff.json'))).toBe(false);
  }, 60_000);

  it('skips a corrupt line, delivers the rest and reports what it skipped', async () => {
    const r = await receiver();
    const home = tempHome();
    await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'hourly' });
    const [name] = spooled(home);
    const path = join(spoolDir(home), name!);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    lines.splice(1, 0, '{"n":"todo.list.viewed","t":12', '\u0000garbage');
    writeFileSync(path, `${lines.join('\n')}\n`);
    await runTodo(home, ['list'], toReceiver(r));
    await r.waitFor(() => invoked(r) >= 2, 20_000);
    await settle(300);
    expect(invoked(r)).toBe(2);
    expect(counterTotal(r, 'todo.telemetry.dropped.count', (a) => a.reason === 'corrupt')).toBe(2);
  }, 60_000);

  it('sends only completed hourly windows, stamped with the window bounds', async () => {
    const r = await receiver();
    const home = tempHome();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: r.url, TODO_TELEMETRY_FLUSH: 'hourly' };
    await runTodo(home, ['list'], env);
    await settle(1200);
    expect(r.requests).toHaveLength(0);
    // Move the spooled file two hours back, as if it had been written then.
    const [name] = spooled(home);
    const hour = 3_600_000;
    const past = Math.floor((Date.now() - 2 * hour) / hour) * hour + 123;
    renameSync(join(spoolDir(home), name!), join(spoolDir(home), name!.replace(/^\d{13}/, String(past))));
    await runTodo(home, ['list'], env);
    await r.waitFor(() => invoked(r) >= 1, 20_000);
    await senderDone(home);
    await settle(300);
    expect(invoked(r)).toBe(1);
    const point = r.metrics().find((m) => m.name === 'todo.cli.invoked.count')!.points[0]!;
    expect(BigInt(point.startTimeUnixNano)).toBe(BigInt(past - 123) * 1_000_000n);
    expect(BigInt(point.timeUnixNano)).toBe(BigInt(past - 123 + hour) * 1_000_000n);
    expect(spooled(home)).toHaveLength(1);
  }, 60_000);

  it('sends one point per series and window when runs of that window were recorded against different stored settings', async () => {
    const r = await receiver();
    const home = tempHome();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: r.url, TODO_TELEMETRY_FLUSH: 'hourly' };
    const past = await spoolOneHourUnderTwoSettings(home);
    await runTodo(home, ['list'], env);
    await r.waitFor(() => invoked(r) >= 2 && r.logs().length >= 2, 20_000);
    await senderDone(home);
    await settle(300);
    // Two points for one series and one window would be one too many: a backend keeps one of them.
    const points = r.metrics().filter((m) => m.name === 'todo.cli.invoked.count').flatMap((m) => m.points);
    expect(points.map((p) => p.value)).toEqual([2]);
    expect(BigInt(points[0]!.startTimeUnixNano)).toBe(BigInt(past) * 1_000_000n);
    // Only the run whose environment turned events on sent log records.
    expect(r.logs().map((l) => l.eventName).sort()).toEqual(['todo.cli.invoked', 'todo.list.viewed']);
    // This hour's run waits for its window.
    expect(spooled(home)).toHaveLength(1);
  }, 60_000);

  it('sends such a window\'s metrics once when the sender is killed as it deletes what their one export superseded', async () => {
    const r = await receiver();
    const home = tempHome();
    const env = { TODO_TELEMETRY_FLUSH: 'hourly' };
    const past = await spoolOneHourUnderTwoSettings(home);
    const hook = join(ROOT, 'test', 'fixtures', 'kill-at-claim-delete.mjs');
    await runTodo(home, ['list'], toReceiver(r, { ...env, NODE_OPTIONS: `--import ${hook}` }));
    await r.waitFor(() => invoked(r) === 2, 20_000);
    for (let i = 0; i < 400 && sendersOf(home).length > 0; i++) await settle(50);
    expect(sendersOf(home)).toEqual([]);
    // The killed run's own file, moved into the next past hour, makes the next run start a sender,
    // which merges the dead one's claim back and sends what was left: the log records.
    for (const name of spooled(home)) renameSync(join(spoolDir(home), name), join(spoolDir(home), name.replace(/^\d{13}/, String(past + HOUR + 100))));
    await runTodo(home, ['list'], toReceiver(r, env));
    await r.waitFor(() => r.logs().length >= 2 && invoked(r) === 3, 20_000);
    await senderDone(home);
    await settle(300);
    const points = r.metrics().filter((m) => m.name === 'todo.cli.invoked.count').flatMap((m) => m.points);
    expect(points.map((p) => [Number(BigInt(p.startTimeUnixNano) / 1_000_000n) - past, p.value])).toEqual([[0, 2], [HOUR, 1]]);
    expect(r.logs().map((l) => l.eventName).sort()).toEqual(['todo.cli.invoked', 'todo.list.viewed']);
  }, 60_000);

  it('puts such a window back, each run under its own settings, when the collector is down, and later sends it once', async () => {
    const r = await receiver();
    const home = tempHome();
    const env = { TODO_TELEMETRY_FLUSH: 'hourly' };
    await spoolOneHourUnderTwoSettings(home);
    await runTodo(home, ['list'], { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}` });
    await senderDone(home);
    await backoffExpired(home);
    await runTodo(home, ['list'], { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: r.url });
    await r.waitFor(() => invoked(r) >= 2 && r.logs().length >= 2, 20_000);
    await senderDone(home);
    await settle(300);
    const points = r.metrics().filter((m) => m.name === 'todo.cli.invoked.count').flatMap((m) => m.points);
    expect(points.map((p) => p.value)).toEqual([2]);
    expect(r.logs().map((l) => l.eventName).sort()).toEqual(['todo.cli.invoked', 'todo.list.viewed']);
  }, 60_000);

  it('moves a file written while the clock was a year ahead to now: it joins the current window, and is never sent stamped in the future', async () => {
    const r = await receiver();
    const home = tempHome();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: r.url, TODO_TELEMETRY_FLUSH: 'hourly' };
    await runTodo(home, ['list'], env);
    const [name] = spooled(home);
    const year = 365 * 24 * 3_600_000;
    renameSync(join(spoolDir(home), name!), join(spoolDir(home), name!.replace(/^\d{13}/, String(Date.now() + year))));
    const before = Date.now();
    // This run's exit finds a file "from the future" and starts a sender, which moves it to now.
    await runTodo(home, ['list'], env);
    await senderDone(home);
    const hour = 3_600_000;
    const files = spooled(home).map((n) => Number(n.slice(0, 13)));
    expect(files).toHaveLength(2);
    for (const at of files) expect(Math.floor(at / hour)).toBe(Math.floor(before / hour));
    // Both wait for the current hour to end, to go out as one batch: nothing was sent early.
    expect(r.requests).toHaveLength(0);

    // Delivered (immediate flush here), its points are stamped now, not a year ahead.
    await runTodo(home, ['list'], { ...env, TODO_TELEMETRY_FLUSH: 'immediate' });
    await r.waitFor(() => invoked(r) >= 3, 20_000);
    const ends = r.metrics().filter((m) => m.name === 'todo.cli.invoked.count').flatMap((m) => m.points).map((p) => Number(BigInt(p.timeUnixNano) / 1_000_000n));
    for (const end of ends) expect(end).toBeLessThanOrEqual(Date.now());
  }, 60_000);

  it('sends a spool near its cap of log text in parts a collector\'s body limit takes, each record once', async () => {
    // A collector (or `optel gateway`) refusing bodies over 2 MiB; ≈ 3 MB of text spooled by earlier runs.
    const r = await receiver({ maxBytes: 2 * 1024 * 1024 });
    const home = tempHome();
    spoolLogText(home);
    await runTodo(home, ['list'], toReceiver(r, { TODO_TELEMETRY_FLUSH: 'immediate' }));
    await r.waitFor(() => r.logs().filter((l) => l.eventName === 'todo.item.added').length >= 3000, 30_000);
    await senderDone(home);
    expect(r.rejected).toEqual([]);
    const sent = r.logs().filter((l) => l.eventName === 'todo.item.added').map((l) => String(l.attributes.text).split(' ')[0]);
    expect(new Set(sent).size).toBe(3000);
    expect(sent).toHaveLength(3000);
    expect(r.requests.filter((q) => q.signal === 'logs').length).toBeGreaterThanOrEqual(3);
    expect(spooled(home)).toEqual([]);
  }, 60_000);

  it('sends again only the parts of the log records that were not accepted when one part fails', async () => {
    // The second logs export fails; every other is accepted.
    let logsExports = 0;
    const r = await receiver({ status: (signal) => (signal === 'logs' && ++logsExports === 2 ? 500 : 200) });
    const home = tempHome();
    spoolLogText(home);
    await runTodo(home, ['list'], toReceiver(r, { TODO_TELEMETRY_FLUSH: 'immediate' }));
    await senderDone(home);
    await backoffExpired(home);
    await runTodo(home, ['list'], toReceiver(r, { TODO_TELEMETRY_FLUSH: 'immediate' }));
    await senderDone(home);
    const accepted = r.requests.filter((q, i) => q.signal === 'logs' && r.requests.slice(0, i + 1).filter((x) => x.signal === 'logs').length !== 2);
    const sent = accepted.flatMap((q) => flattenLogs(q.body as OtlpLogsRequest))
      .filter((l) => l.eventName === 'todo.item.added')
      .map((l) => String(l.attributes.text).split(' ')[0]);
    expect(new Set(sent).size).toBe(3000);
    expect(sent).toHaveLength(3000);
  }, 60_000);

  it("re-queues what failed under the app's spool cap, not the default 4 MiB", async () => {
    const r = await receiver({ status: 503 });
    const home = tempHome();
    const spool = join(home, '.local', 'state', 'capper', 'telemetry', 'spool');
    const cap = String(32 * 1024 * 1024);
    // ≈ 5 MiB spooled by earlier runs (1 KiB records), within the app's 32 MiB cap.
    const pad = 'x'.repeat(1000);
    for (let f = 0; f < 5; f++) {
      const at = Date.now() - 10_000 + f;
      const records = Array.from({ length: 1000 }, () => ({ name: 'capper.cli.ran', time: at, attrs: { pad }, tiers: ['metrics' as const] }));
      appendToSpool(spool, { optel: 1, app: 'capper', version: '1.0.0', installationId: 'i', at }, records, Number(cap));
    }
    const cli = join(ROOT, 'test', 'fixtures', 'cap-cli.mjs');
    const env = cleanEnv(home, { CAP_BYTES: cap, CAPPER_TELEMETRY_FLUSH: 'immediate', OTEL_EXPORTER_OTLP_ENDPOINT: r.url, OTEL_EXPORTER_OTLP_TIMEOUT: '1000' });
    expect((await runNode(cli, [], { env })).code).toBe(0);
    for (let i = 0; i < 400 && !existsSync(join(spool, '.backoff.json')); i++) await settle(50);
    await senderDone(home, spool);
    expect(existsSync(join(spool, '.backoff.json'))).toBe(true);
    const records = spoolFiles(readdirSync(spool)).flatMap((f) => readSpoolFile(spool, f).records);
    expect(records.filter((x) => x.name === 'capper.telemetry.dropped')).toEqual([]);
    expect(records.reduce((n, x) => n + (x.count ?? 1), 0)).toBe(5001);
  }, 60_000);
});

describe('a state directory that cannot be written', () => {
  it('leaves the CLI working and silent when the state home is a file', async () => {
    const home = tempHome();
    const blocker = join(home, 'not-a-dir');
    writeFileSync(blocker, '');
    const on = await runTodo(home, ['add', 'x'], { XDG_STATE_HOME: blocker, TODO_TELEMETRY_FLUSH: 'immediate' });
    expect(on.code).toBe(0);
    expect(on.stdout).toBe('added #1: x\n');
    expect(on.stderr).toBe('');
  });

  it('leaves the CLI working and silent when the state home is read-only (/proc)', async () => {
    const home = tempHome();
    mkdirSync(join(home, 'x'));
    const run = await runTodo(home, ['list'], { XDG_STATE_HOME: '/proc/optel-cannot-exist' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('nothing to do\n');
    expect(run.stderr).toBe('');
  });
});
