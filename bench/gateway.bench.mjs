// optel gateway throughput and latency: data points validated and forwarded per second on one
// core (the gateway process pinned to one CPU), protobuf and JSON, against a pass-through proxy of
// the same payloads in the same run (reads each body and forwards the bytes, decoding nothing);
// then p99 added latency (client → gateway → sink vs client → sink) at a steady, unsaturated pace.
// Targets (the issue): ≥ 200,000 points/s on one core for JSON and protobuf each, ≥ 0.5× pass-through,
// p99 added latency ≤ 5 ms. BENCH_SIZES, BENCH_ROUNDS, BENCH_SECONDS and BENCH_CONCURRENCY change the
// run; BENCH_CHILD_FLAGS passes node flags to the measured servers (--cpu-prof, --max-semi-space-size=64).
import { startReceiver } from './receiver.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, request, Agent } from 'node:http';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
// Export sizes: 20 points is a CLI's window of a few commands, 200 a busy daemon's interval.
const SIZES = (process.env.BENCH_SIZES ?? '20,200').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const LATENCY_POINTS = 100;
const LATENCY_REQUESTS = 2000;

const role = process.argv[2];
if (role === 'gateway') await runGatewayChild(process.argv[3]);
else if (role === 'passthrough') await runPassThroughChild(process.argv[3]);
else await main();

// ---------------------------------------------------------------- children (the measured servers)

async function runGatewayChild(upstream) {
  const { startGateway } = await import('../dist/gateway/server.js');
  const { catalog } = await import('../examples/todo/catalog.mjs');
  const gateway = await startGateway({ catalog, upstream, port: 0, rate: '1000000/s', globalRate: '1000000/s' });
  process.stdout.write(`${gateway.url}\n`);
  // On SIGTERM, report what the forwarder did (how well it batched) and stop.
  process.on('SIGTERM', () => {
    process.stdout.write(`${JSON.stringify(gateway.stats().forwarder)}\n`, () => process.exit(0));
  });
}

async function runPassThroughChild(upstream) {
  // The cheapest honest proxy: same keep-alive upstream connections, body bytes forwarded as they are.
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const up = request({ host: target.hostname, port: target.port, path: req.url, method: 'POST', agent,
        headers: { 'content-type': req.headers['content-type'], 'content-length': body.byteLength } }, (r) => {
        r.resume();
        r.on('end', () => res.writeHead(r.statusCode, { 'content-length': 0 }).end());
      });
      up.on('error', () => res.writeHead(502).end());
      up.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${server.address().port}\n`));
}

// ---------------------------------------------------------------- the driver

async function main() {
  const { encodeRequest } = await import('../dist/otlp/encode.js');
  const { median, table } = await import('./lib.mjs');
  const sink = await startReceiver();
  const pin = pinning();
  const contentTypes = { protobuf: 'application/x-protobuf', json: 'application/json' };
  const rows = [];
  for (const points of SIZES) {
    const requests = payloads(points);
    for (const format of ['protobuf', 'json']) {
      const bodies = requests.map((r) => encodeRequest('metrics', r, format));
      // Both servers stay up; runs alternate (pass-through, gateway, pass-through…) so drift on a
      // shared machine hits both alike, and each figure is the median of its runs.
      const children = { passthrough: await startChild('passthrough', sink.url, pin), gateway: await startChild('gateway', sink.url, pin) };
      const runs = { passthrough: [], gateway: [] };
      for (const kind of Object.keys(children)) await load(children[kind].url, bodies, contentTypes[format], points, 1); // warm-up
      for (let round = 0; round < ROUNDS; round++) {
        for (const kind of Object.keys(children)) runs[kind].push(await load(children[kind].url, bodies, contentTypes[format], points, SECONDS));
      }
      await children.passthrough.kill();
      const forwarder = await children.gateway.kill();
      const through = median(runs.passthrough.map((r) => r.pointsPerSecond));
      const gateway = median(runs.gateway.map((r) => r.pointsPerSecond));
      const errors = (kind) => runs[kind].reduce((n, r) => n + r.errors, 0);
      const exportsSent = runs.gateway.reduce((n, r) => n + r.requests, 0);
      rows.push([`${points} pt/export, ${format}: pass-through`, `${fmt(through)} pt/s`, errors('passthrough') ? `${errors('passthrough')} errors` : '']);
      rows.push([`${points} pt/export, ${format}: gateway`, `${fmt(gateway)} pt/s`,
        `${(gateway / through).toFixed(2)}× pass-through; ${errors('gateway')} errors; ~${(exportsSent / Math.max(1, forwarder?.batches ?? 1)).toFixed(1)} exports per upstream request`]);
    }
  }
  table(`gateway throughput: metric exports, ${CONCURRENCY} concurrent clients, median of ${ROUNDS} × ${SECONDS} s, server ${pin ? 'pinned to 1 core' : 'unpinned'}`, rows);

  const lat = [];
  const requests = payloads(LATENCY_POINTS);
  for (const format of ['protobuf', 'json']) {
    const bodies = requests.map((r) => encodeRequest('metrics', r, format));
    const child = await startChild('gateway', sink.url, pin);
    // A long warm-up: a gateway is a long-running process, its steady state is what clients meet.
    await latency(child.url, bodies, contentTypes[format], 3000);
    const gwTimes = [];
    const directTimes = [];
    for (let round = 0; round < 4; round++) {
      gwTimes.push(...(await latency(child.url, bodies, contentTypes[format], LATENCY_REQUESTS / 4)).times);
      directTimes.push(...(await latency(sink.url, bodies, contentTypes[format], LATENCY_REQUESTS / 4)).times);
    }
    const gw = percentiles(gwTimes);
    const direct = percentiles(directTimes);
    await child.kill();
    lat.push([`${format}: direct to sink p50 / p99`, `${direct.p50.toFixed(2)} ms`, `${direct.p99.toFixed(2)} ms`]);
    lat.push([`${format}: through gateway p50 / p99`, `${gw.p50.toFixed(2)} ms`, `${gw.p99.toFixed(2)} ms`]);
    lat.push([`${format}: added p50 / p99`, `${(gw.p50 - direct.p50).toFixed(2)} ms`, `${(gw.p99 - direct.p99).toFixed(2)} ms`]);
  }
  table(`gateway latency: ${LATENCY_REQUESTS} sequential ${LATENCY_POINTS}-point exports, each acknowledged by the sink`, lat);
  console.log(`  (sink received ${fmt(sink.stats().requests)} requests, ${(sink.stats().bytes / 2 ** 20).toFixed(0)} MiB)`);
  await sink.close();
  process.exit(0);
}

/** 64 distinct exports shaped like the SDK's: a counter and a duration histogram per attribute set. */
function payloads(points) {
  const commands = ['add', 'list', 'done', 'fail', 'telemetry'];
  const bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
  const kv = (key, v) => ({ key, value: typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : { intValue: String(v) } });
  const out = [];
  for (let r = 0; r < 64; r++) {
    const start = String(1_700_000_000_000_000_000n + BigInt(r) * 60_000_000_000n);
    const end = String(1_700_000_060_000_000_000n + BigInt(r) * 60_000_000_000n);
    const sums = [];
    const hists = [];
    for (let i = 0; i < points / 2; i++) {
      const ok = i % 7 !== 0;
      const attrs = [kv('cli.command', commands[i % 5]), kv('success', ok), kv('process.exit.code', ok ? 0 : 1 + (i % 200))];
      if (!ok) attrs.push(kv('error.type', 'ENOENT'));
      sums.push({ attributes: attrs, startTimeUnixNano: start, timeUnixNano: end, asInt: String(1 + (i % 9)), exemplars: [], flags: 0 });
      hists.push({ attributes: attrs, startTimeUnixNano: start, timeUnixNano: end, count: '3', sum: 0.42, min: 0.02, max: 0.3,
        bucketCounts: bounds.concat([0]).map((_, j) => (j === 4 ? '2' : j === 5 ? '1' : '0')), explicitBounds: bounds, exemplars: [], flags: 0 });
    }
    const id = `00000000-0000-4000-8000-${String(r).padStart(12, '0')}`;
    const resource = { attributes: [kv('service.name', 'todo'), kv('service.version', '1.4.2'), kv('app.installation.id', id),
      kv('os.type', 'linux'), kv('host.arch', 'amd64'), kv('process.runtime.name', 'nodejs'), kv('process.runtime.version', '20.20.2'),
      kv('telemetry.sdk.name', 'optel'), kv('telemetry.sdk.language', 'nodejs'), kv('telemetry.sdk.version', '0.1.0')],
    droppedAttributesCount: 0, entityRefs: [] };
    out.push({ resourceMetrics: [{ resource, schemaUrl: '', scopeMetrics: [{ scope: { name: 'todo', version: '1.4.2', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', metrics: [
      { name: 'todo.cli.invoked.count', description: 'A todo command ran.', unit: '{event}', metadata: [], sum: { dataPoints: sums, aggregationTemporality: 1, isMonotonic: true } },
      { name: 'todo.cli.invoked.duration', description: 'A todo command ran.', unit: 's', metadata: [], histogram: { dataPoints: hists, aggregationTemporality: 1 } },
    ] }] }] });
  }
  return out;
}

/** `CONCURRENCY` clients posting back to back for `seconds`; points acknowledged per second. */
async function load(url, bodies, contentType, points, seconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const target = new URL(`${url}/v1/metrics`);
  const deadline = performance.now() + seconds * 1000;
  let acknowledged = 0;
  let errors = 0;
  let n = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < deadline) {
      const status = await post(target, bodies[n++ % bodies.length], contentType, agent);
      if (status === 200) acknowledged += points;
      else errors++;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { pointsPerSecond: acknowledged / elapsed, errors, requests: n };
}

/** Sequential requests at a steady pace; their round-trip times in ms. */
async function latency(url, bodies, contentType, count) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(`${url}/v1/metrics`);
  const times = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await post(target, bodies[i % bodies.length], contentType, agent);
    times.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 1));
  }
  agent.destroy();
  return { times };
}

function percentiles(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)], p99: sorted[Math.floor(sorted.length * 0.99)] };
}

function post(target, body, contentType, agent) {
  return new Promise((resolve) => {
    const req = request(target, { method: 'POST', agent, headers: { 'content-type': contentType, 'content-length': body.byteLength } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** `taskset -c 0` when there is more than one CPU and taskset exists: the server gets one core, the driver the rest. */
function pinning() {
  if (availableParallelism() < 2) return undefined;
  const probe = spawnSync('taskset', ['-c', '0', process.execPath, '-e', '0']);
  if (probe.status !== 0) return undefined;
  // The driver and the sink stay off core 0.
  spawnSync('taskset', ['-pc', `1-${availableParallelism() - 1}`, String(process.pid)]);
  return ['taskset', '-c', '0'];
}

function startChild(kind, upstream, pin) {
  const argv = [process.execPath, ...(process.env.BENCH_CHILD_FLAGS ?? '').split(' ').filter(Boolean), SELF, kind, upstream];
  const [cmd, ...args] = pin ? [...pin, ...argv] : argv;
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // kill() resolves with the child's last line (the gateway's forwarder stats), if any.
  const kill = async () => {
    child.kill();
    await exited;
    try {
      return JSON.parse(output.trim().split('\n').pop());
    } catch {
      return undefined;
    }
  };
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (d) => resolve({ url: String(d).trim(), kill }));
  });
}

function fmt(n) {
  return Math.round(n).toLocaleString('en-US');
}
