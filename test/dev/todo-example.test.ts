import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../../src/dev/server.js';
import type { DevSnapshot, EventSnapshot } from '../../src/dev/snapshot.js';
import { runTodo, tempHome } from '../support/run-example.js';
import { nextEvent, waitUntil } from './http.js';

// The real todo CLI, its real detached sender and the real dev server: what a developer sees
// after `optel dev` and a few commands. Runs go one at a time, each waited for, so counts are exact.
// Each HOME keeps one tier setting: a sender started by one run may also deliver what the next
// run in the same HOME spooled, under its own settings, which would make tier counts racy.

/** The parts of a saved OTLP/JSON line this test reads. */
interface SavedLine {
  resourceMetrics?: { scopeMetrics: { metrics: { name: string; sum?: { dataPoints: { asInt: string }[] } }[] }[] }[];
  resourceLogs?: unknown[];
  resourceSpans?: unknown[];
}

let server: DevServer;
let saveFile: string;
const homes = { metricsOnly: tempHome(), withEvents: tempHome(), withTraces: tempHome() };

const event = (name: string): EventSnapshot | undefined => server.snapshot().events.find((e) => e.name === name);
const invoked = () => event('todo.cli.invoked')?.count ?? 0;

async function run(home: string, args: string[], extra: Record<string, string> = {}, wait = { invoked: 0, records: 0 }) {
  const before = { invoked: invoked(), records: server.snapshot().tiers.events.items };
  const result = await runTodo(home, args, { TODO_TELEMETRY_FLUSH: 'immediate', OTEL_EXPORTER_OTLP_ENDPOINT: server.url, ...extra });
  await waitUntil(() => invoked() >= before.invoked + wait.invoked && server.snapshot().tiers.events.items >= before.records + wait.records);
  return result;
}

beforeAll(async () => {
  saveFile = join(mkdtempSync(join(tmpdir(), 'optel-dev-')), 'todo.jsonl');
  server = await startDevServer({ port: 0, save: saveFile });
  const events = { TODO_TELEMETRY_EVENTS: 'on' };
  const traces = { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', TODO_TELEMETRY_TRACES: 'on' };
  expect((await run(homes.metricsOnly, ['add', 'buy', 'milk'], {}, { invoked: 1, records: 0 })).code).toBe(0);
  expect((await run(homes.withEvents, ['list'], events, { invoked: 1, records: 2 })).code).toBe(0);
  expect((await run(homes.withEvents, ['fail'], events, { invoked: 1, records: 1 })).code).toBe(1);
  expect((await run(homes.metricsOnly, ['done', '42'], {}, { invoked: 1, records: 0 })).code).toBe(1);
  expect((await run(homes.withTraces, ['add', 'call', 'mum'], traces, { invoked: 1, records: 0 })).code).toBe(0);
  await waitUntil(() => server.snapshot().tiers.traces.items >= 1);
}, 90_000);
afterAll(async () => {
  await server.close();
});

describe('optel dev receiving the todo example', () => {
  it('counts every command exactly, with failures and the attribute breakdown', async () => {
    const state = (await (await fetch(`${server.url}/api/state`)).json()) as DevSnapshot;
    const cli = state.events.find((e) => e.name === 'todo.cli.invoked')!;
    expect(cli).toMatchObject({ count: 5, failures: 2, description: 'A todo command ran.' });
    expect(cli.counts).toEqual({ metrics: 5, events: 2, traces: 1 });
    expect(cli.tiers).toEqual(['metrics', 'events', 'traces']);
    const commands = Object.fromEntries(cli.attributes.find((a) => a.key === 'cli.command')!.values.map((v) => [v.value, v.count]));
    expect(commands).toEqual({ add: 2, list: 1, fail: 1, done: 1 });
    const errors = Object.fromEntries(cli.attributes.find((a) => a.key === 'error.type')!.values.map((v) => [v.value, v.count]));
    expect(errors).toEqual({ SimulatedFailure: 1, TodoNotFoundError: 1 });
    expect(state.events.find((e) => e.name === 'todo.item.added')?.count).toBe(2);
    expect(state.events.find((e) => e.name === 'todo.list.viewed')).toMatchObject({ count: 1, counts: { events: 1 } });
  });

  it('merges the duration histograms into one with p50 and p95', () => {
    const duration = event('todo.cli.invoked')!.duration!;
    expect(duration).toMatchObject({ unit: 's', count: 5 });
    expect(duration.buckets.reduce((a, b) => a + b)).toBe(5);
    expect(duration.p50).toBeGreaterThan(0);
    expect(duration.p95).toBeGreaterThanOrEqual(duration.p50!);
    expect(duration.p95).toBeLessThanOrEqual(duration.max!);
  });

  it('shows which tiers arrived, the resource and the installation count', () => {
    const state = server.snapshot();
    expect(state.tiers.metrics.items).toBeGreaterThan(0);
    expect(state.tiers.events.items).toBe(3);
    expect(state.tiers.traces.items).toBe(1);
    expect(state.installations).toBe(3);
    expect(state.resources).toEqual([expect.objectContaining({ service: 'todo', version: '1.4.2', installations: 3 })]);
    expect(state.resources[0]?.attributes).toMatchObject({ 'telemetry.sdk.name': 'optel', 'process.runtime.name': 'nodejs' });
  });

  it('lists the recent log records and spans', () => {
    const state = server.snapshot();
    expect(state.logs.map((l) => l.event).sort()).toEqual(['todo.cli.invoked', 'todo.cli.invoked', 'todo.list.viewed']);
    expect(state.logs.find((l) => l.attributes['error.type'] === 'SimulatedFailure')).toBeDefined();
    expect(state.spans).toEqual([expect.objectContaining({ name: 'todo.cli.invoked', service: 'todo', traceId: expect.stringMatching(/^[0-9a-f]{32}$/) })]);
  });

  it('saved every request as an OTLP/JSON line holding the metrics', () => {
    const lines = readFileSync(saveFile, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as SavedLine);
    expect(lines.length).toBe(server.snapshot().totals.requests);
    const counts = lines
      .flatMap((l) => l.resourceMetrics ?? [])
      .flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics))
      .filter((m) => m.name === 'todo.cli.invoked.count')
      .flatMap((m) => m.sum?.dataPoints ?? [])
      .reduce((a, p) => a + Number(p.asInt), 0);
    expect(counts).toBe(5);
    expect(lines.some((l) => l.resourceLogs)).toBe(true);
    expect(lines.some((l) => l.resourceSpans)).toBe(true);
  });

  it('summarises events, counts, tiers and installations for the terminal', () => {
    const summary = server.summary();
    expect(summary).toMatch(/todo\.cli\.invoked\s+5\s+2\s+1\s+2 \(40%\)\s+\S+ (µs|ms|s)\s+\S+ (µs|ms|s)\n/);
    expect(summary).toMatch(/todo\.item\.added\s+2\s/);
    expect(summary).toContain('tiers          metrics yes');
    expect(summary).toContain('events yes (3 log records), traces yes (1 span)');
    expect(summary).toContain('apps           todo 1.4.2');
    expect(summary).toContain('installations  3');
    expect(summary).toContain(`to ${saveFile}`);
  });

  it('pushes a live update over /events after one more run', async () => {
    const res = await fetch(`${server.url}/events`);
    const reader = res.body!.getReader();
    await nextEvent<DevSnapshot>(reader, () => true);
    await runTodo(homes.metricsOnly, ['list'], { TODO_TELEMETRY_FLUSH: 'immediate', OTEL_EXPORTER_OTLP_ENDPOINT: server.url });
    const update = await nextEvent<DevSnapshot>(reader, (s) => s.events.find((e) => e.name === 'todo.cli.invoked')?.count === 6);
    expect(update.events.find((e) => e.name === 'todo.list.viewed')?.count).toBe(2);
    await reader.cancel();
  });
});
