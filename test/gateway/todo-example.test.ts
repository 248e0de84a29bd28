import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/cli/load-catalog.js';
import { type Gateway, startGateway } from '../../src/gateway/server.js';
import type { MetricRow } from '../../src/otlp/flatten.js';
import { startReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { counterTotal, ROOT, runTodo, tempHome } from '../support/run-example.js';

// The real todo CLI and its real sender, pointed at a real gateway in front of a receiver, next to
// the same commands sent straight to another receiver: what arrives through the gateway must be
// what the SDK sent, minus only what the catalog and the resource allowlist forbid.

let direct: OtlpReceiver;
let behind: OtlpReceiver;
let gateway: Gateway;
const homes = { direct: tempHome(), gateway: tempHome(), events: tempHome(), traces: tempHome() };
// OTEL_RESOURCE_ATTRIBUTES: the SDK keeps only its operator labels; both sides agree on the allowlist.
const extra = { OTEL_RESOURCE_ATTRIBUTES: 'host.name=anns-laptop,deployment.environment.name=ci,service.namespace=ann-home', TODO_TELEMETRY_FLUSH: 'immediate' };
const commands = [['add', 'buy', 'milk'], ['list'], ['done', '1'], ['fail']];

/**
 * What the metrics say, without the times, ids and request boundaries that differ between two runs:
 * per metric and attribute set, its description, unit, kind, temporality, bounds and totals.
 */
function comparable(rows: MetricRow[]): Record<string, { value: number; count: number; bounds: string }> {
  const totals: Record<string, { value: number; count: number; bounds: string }> = {};
  for (const r of rows) {
    for (const p of r.points) {
      const attributes = Object.entries(p.attributes).sort(([a], [b]) => (a < b ? -1 : 1));
      const key = JSON.stringify([r.name, r.kind, r.unit, r.description, r.temporality, r.monotonic, attributes]);
      const t = (totals[key] ??= { value: 0, count: 0, bounds: JSON.stringify(p.explicitBounds ?? []) });
      t.value += p.value ?? 0;
      t.count += p.count ?? 0;
    }
  }
  return Object.fromEntries(Object.entries(totals).sort(([a], [b]) => (a < b ? -1 : 1)));
}

beforeAll(async () => {
  direct = await startReceiver();
  behind = await startReceiver();
  const { catalog } = await loadCatalog(join(ROOT, 'examples', 'todo', 'catalog.mjs'));
  gateway = await startGateway({ catalog, upstream: behind.url, port: 0 });
  for (const args of commands) {
    await runTodo(homes.direct, args, { ...extra, OTEL_EXPORTER_OTLP_ENDPOINT: direct.url });
    await runTodo(homes.gateway, args, { ...extra, OTEL_EXPORTER_OTLP_ENDPOINT: gateway.url });
  }
  const invoked = (r: OtlpReceiver) => counterTotal(r, 'todo.cli.invoked.count');
  await direct.waitFor(() => invoked(direct) === commands.length, 20_000);
  await behind.waitFor(() => invoked(behind) === commands.length, 20_000);
  // A run's other metrics may come in later exports than its command count: wait until both sides agree.
  const same = () => JSON.stringify(comparable(behind.metrics())) === JSON.stringify(comparable(direct.metrics()));
  await behind.waitFor(same, 10_000).catch(() => {});
  await behind.waitFor(allQueuedAnswered);
}, 90_000);

/** Whether every export the gateway queued has been answered (the verbatim count is taken when queued, statuses when answered). */
function allQueuedAnswered(): boolean {
  const { forwarder } = gateway.stats();
  return forwarder.pendingBytes === 0 && forwarder.inFlight === 0;
}
afterAll(async () => {
  await gateway.close();
  await direct.close();
  await behind.close();
});

describe('the todo CLI through the gateway', () => {
  it('delivers every metric exactly as the SDK sent it', () => {
    expect(comparable(behind.metrics())).toEqual(comparable(direct.metrics()));
    expect(gateway.stats().rejected).toEqual({ metrics: 0, logs: 0, traces: 0 });
    // The SDK's protobuf exports leave the catalog nothing to change: each went upstream as sent.
    expect(allQueuedAnswered()).toBe(true);
    const { forwarder, statuses } = gateway.stats();
    expect(forwarder.verbatim).toBe(statuses[200]);
  });

  it('sends the same allowlisted resource the gateway keeps: operator labels redacted, nothing else the user added', () => {
    const sent = direct.metrics()[0]!.resource;
    const arrived = behind.metrics()[0]!.resource;
    expect(sent['host.name']).toBeUndefined();
    expect(sent).toMatchObject({ 'deployment.environment.name': 'ci', 'service.namespace': 'ann-home' });
    const { 'app.installation.id': _, ...rest } = sent;
    expect(arrived).toMatchObject(rest);
    expect(Object.keys(arrived).sort()).toEqual(Object.keys(sent).sort());
    expect(JSON.stringify(behind.requests.map((r) => r.body))).not.toContain('anns-laptop');
  });

  it('delivers events-tier log records with their events-only attributes', async () => {
    await runTodo(homes.events, ['add', 'call', 'ann@example.com'], { ...extra, TODO_TELEMETRY_EVENTS: 'on', OTEL_EXPORTER_OTLP_ENDPOINT: gateway.url });
    await behind.waitFor(() => behind.logs().some((l) => l.eventName === 'todo.item.added'), 20_000);
    const added = behind.logs().find((l) => l.eventName === 'todo.item.added')!;
    expect(added.attributes).toMatchObject({ 'event.name': 'todo.item.added', 'text.length': '10-40', text: 'call <email>' });
    expect(behind.logs().map((l) => l.eventName)).toEqual(expect.arrayContaining(['todo.cli.invoked', 'todo.item.added']));
    // The text was redacted by the SDK already: its log exports, too, went upstream as sent.
    await behind.waitFor(allQueuedAnswered);
    const { forwarder, statuses } = gateway.stats();
    expect(forwarder.verbatim).toBe(statuses[200]);
  });

  it('delivers spans over OTLP/JSON when traces are on', async () => {
    await runTodo(homes.traces, ['list'], { ...extra, TODO_TELEMETRY_TRACES: 'on', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_ENDPOINT: gateway.url });
    await behind.waitFor(() => behind.spans().length > 0, 20_000);
    expect(behind.spans()[0]).toMatchObject({ name: 'todo.cli.invoked', attributes: { 'cli.command': 'list', success: true, 'process.exit.code': 0 } });
    expect(gateway.stats().rejected).toEqual({ metrics: 0, logs: 0, traces: 0 });
  });
});
