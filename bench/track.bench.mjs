// track() vs a raw OTel counter.add + histogram.record with the same 3 attributes, and vs
// posthog-node's capture() with the network off — in CLI mode (spool) and daemon mode (live OTel).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeterProvider, MetricReader, AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { PostHog } from 'posthog-node';
import { attr, createTelemetry, defineCatalog } from 'optel';
import { median, ratio, table } from './lib.mjs';

const N = 50_000;
const ROUNDS = 15;
const catalog = defineCatalog({
  app: 'bench',
  events: {
    'bench.cli.invoked': {
      description: 'bench',
      duration: true,
      attributes: {
        command: attr.enum(['build', 'serve', 'test']),
        success: attr.boolean(),
        'items.count': attr.bucket([0, 10, 100]),
      },
    },
  },
});
const attrs = [
  { command: 'build', success: true, 'items.count': 5 },
  { command: 'serve', success: false, 'items.count': 50 },
  { command: 'test', success: true, 'items.count': 500 },
];
const raw = [
  { command: 'build', success: true, 'items.count': '0-10' },
  { command: 'serve', success: false, 'items.count': '10-100' },
  { command: 'test', success: true, 'items.count': '100+' },
];

/** ns per operation, median over rounds; `setup` runs before each round, untimed. */
async function measure(op, setup = async () => {}) {
  const per = [];
  for (let r = 0; r < ROUNDS + 2; r++) {
    await setup();
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) op(i);
    const ns = Number(process.hrtime.bigint() - start) / N;
    if (r >= 2) per.push(ns);
  }
  return median(per);
}

class Reader extends MetricReader {
  constructor() { super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA }); }
  async onForceFlush() {}
  async onShutdown() {}
}
const meter = new MeterProvider({ readers: [new Reader()] }).getMeter('bench');
const counter = meter.createCounter('bench.cli.invoked.count');
const histogram = meter.createHistogram('bench.cli.invoked.duration');
const rawOtel = await measure((i) => {
  const a = raw[i % 3];
  counter.add(1, a);
  histogram.record(0.042, a);
});

const dir = () => mkdtempSync(join(tmpdir(), 'optel-bench-'));
let cli;
const cliNs = await measure((i) => cli.track('bench.cli.invoked', attrs[i % 3], { durationMs: 42 }), async () => {
  await cli?.shutdown();
  const d = dir();
  cli = createTelemetry({ catalog, version: '1.0.0', env: {}, notice: false, paths: { configHome: d, stateHome: d, policyFile: join(d, 'p') } });
});
await cli.shutdown();

const d = dir();
const daemon = createTelemetry({
  catalog, version: '1.0.0', mode: 'daemon', notice: false,
  env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_METRIC_EXPORT_INTERVAL: '3600000' },
  paths: { configHome: d, stateHome: d, policyFile: join(d, 'p') },
});
await daemon.flush();
const daemonNs = await measure((i) => daemon.track('bench.cli.invoked', attrs[i % 3], { durationMs: 42 }));

let posthog;
const posthogNs = await measure(
  (i) => posthog.capture({ distinctId: 'installation', event: 'bench.cli.invoked', properties: attrs[i % 3] }),
  async () => {
    posthog = new PostHog('phc_bench', { host: 'http://127.0.0.1:9', flushAt: 10_000_000, flushInterval: 0, maxQueueSize: 10_000_000, disableGeoip: true });
  },
);

table('track() of a metrics event with 3 attributes (ns per call, median of 15 rounds × 50k)', [
  ['raw OTel counter.add + histogram.record', `${rawOtel.toFixed(0)} ns`, '1.00× (baseline)'],
  ['optel track(), CLI mode (spool)', `${cliNs.toFixed(0)} ns`, `${ratio(cliNs, rawOtel)}  target ≤ 0.5×`],
  ['optel track(), daemon mode (live OTel)', `${daemonNs.toFixed(0)} ns`, `${ratio(daemonNs, rawOtel)}  target ≤ 1.2×`],
  ['posthog-node capture(), network off', `${posthogNs.toFixed(0)} ns`, ratio(posthogNs, rawOtel)],
]);
process.exit(0);
