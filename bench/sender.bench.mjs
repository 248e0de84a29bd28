// Sender throughput: a 1 MB spool replayed into the OTel SDK and exported over OTLP/protobuf,
// vs the same sender with an empty spool (its fixed start-up cost); peak RSS of each.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendToSpool } from '../dist/spool/append.js';
import { startReceiver } from './receiver.mjs';
import { median, table } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;
const sender = join(root, 'dist', 'export', 'sender-main.js');
const receiver = await startReceiver();
const commands = ['add', 'list', 'done', 'fail', 'telemetry'];

/** Fills a fresh state dir with ~`bytes` of spooled records across files of 50 records. */
function fill(bytes) {
  const state = mkdtempSync(join(tmpdir(), 'optel-sender-'));
  const spool = join(state, 'spool');
  let written = 0;
  let events = 0;
  // Two hours back: a completed hourly window, deliverable at once without the immediate settle delay.
  let at = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
  while (written < bytes) {
    const records = Array.from({ length: 50 }, (_, i) => ({
      name: 'todo.cli.invoked', time: at, duration: 0.01 + (i % 7) / 100, tiers: ['metrics'],
      attrs: { 'cli.command': commands[i % 5], success: i % 9 !== 0, 'process.exit.code': i % 9 ? 0 : 1 },
    }));
    const r = appendToSpool(spool, { optel: 1, app: 'todo', version: '1.4.2', installationId: '00000000-0000-4000-8000-000000000000', at: at++ }, records, 64 * 1024 * 1024);
    written += Number(/-(\d+)b\.jsonl$/.exec(r.file)[1]);
    events += records.length;
  }
  return { state, spool, events, written };
}

/** Runs the sender as its own process (async: the receiver lives in this one) under /usr/bin/time. */
function runSender(state, spool) {
  const args = JSON.stringify({ app: 'todo', version: '1.4.2', paths: { stateDir: state, spoolDir: spool, userConfigFile: join(state, 'none.json'), policyFile: join(state, 'none.json') }, defaults: { metrics: true } });
  const start = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, sender, args], {
    env: { PATH: process.env.PATH, HOME: state, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, TODO_TELEMETRY_FLUSH: 'hourly' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('exit', () => resolve({ ms: performance.now() - start, rssKb: Number(err.trim().split('\n').pop()) })));
}

const full = [];
const empty = [];
let events = 0;
let bytes = 0;
for (let i = 0; i < 5; i++) {
  const f = fill(1024 * 1024);
  events = f.events;
  bytes = f.written;
  full.push(await runSender(f.state, f.spool));
  rmSync(f.state, { recursive: true, force: true });
  const e = mkdtempSync(join(tmpdir(), 'optel-sender-'));
  empty.push(await runSender(e, join(e, 'spool')));
  rmSync(e, { recursive: true, force: true });
}
const ms = median(full.map((r) => r.ms));
const base = median(empty.map((r) => r.ms));
table(`sender: ${events} events in ${(bytes / 1024).toFixed(0)} KiB of spool (median of 5)`, [
  ['empty spool (start-up only)', `${base.toFixed(0)} ms`, `peak RSS ${(median(empty.map((r) => r.rssKb)) / 1024).toFixed(0)} MiB`],
  ['1 MB spool, replay + export', `${ms.toFixed(0)} ms`, `peak RSS ${(median(full.map((r) => r.rssKb)) / 1024).toFixed(0)} MiB`],
  ['throughput (excluding start-up)', `${Math.round(events / ((ms - base) / 1000))} ev/s`, `${Math.round(events / (ms / 1000))} ev/s including start-up`],
  ['requests at the collector', String(receiver.stats().requests), ''],
]);
await receiver.close();
process.exit(0);
