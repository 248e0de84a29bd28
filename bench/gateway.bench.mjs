// optel gateway throughput and latency: data points validated and forwarded per second on one
// core (the gateway process pinned to one CPU), protobuf and JSON, against a pass-through proxy of
// the same payloads in the same run (reads each body and forwards the bytes, decoding nothing) and
// a relay that runs the gateway's pipeline without the catalog (decode, re-encode, batch, forward);
// then p99 added latency (client → gateway → sink vs client → sink) at a steady, unsaturated pace,
// with the pass-through and the relay measured alike for reference. Load comes from autocannon; each
// server's CPU time is read from /proc, so every row also says how busy the server's core was and
// what it did per CPU-second (its capacity on one core, even when the driver could not saturate it).
// Targets (the issue): ≥ 200,000 points/s on one core for JSON and protobuf each, ≥ 0.5× pass-through,
// p99 added latency ≤ 5 ms. BENCH_SIZES, BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONCURRENCY and BENCH_LATENCY_REQUESTS change the
// run; BENCH_CHILD_FLAGS passes node flags to the measured servers (--cpu-prof), BENCH_GATEWAY_ARGS
// options to `optel gateway` (--young-generation 0 for V8's default nursery).
import { payloads } from './otlp-payloads.mjs';
import { startReceiver } from './receiver.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, request, Agent } from 'node:http';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import autocannon from 'autocannon';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const OPTEL = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const CATALOG = fileURLToPath(new URL('../examples/todo/catalog.mjs', import.meta.url));
// Export sizes: 20 points is a CLI's window of a few commands, 200 a busy daemon's interval.
const SIZES = (process.env.BENCH_SIZES ?? '20,200').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const LATENCY_POINTS = 100;
/** Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times. */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
const LATENCY_REQUESTS = Number(process.env.BENCH_LATENCY_REQUESTS ?? 4000);

const role = process.argv[2];
if (role === 'passthrough') await runPassThroughChild(process.argv[3]);
else if (role === 'relay') await runRelayChild(process.argv[3]);
else await main();

// ---------------------------------------------------------------- children (the measured servers)

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

async function runRelayChild(upstream) {
  // The gateway's own pipeline with the catalog left out: decode, re-encode, batch, forward. What a
  // Collector with no processors does; the gap to the gateway is what enforcing the catalog costs.
  const { decodeSizedRequest } = await import('../dist/otlp/decode.js');
  const { createForwarder } = await import('../dist/gateway/forwarder.js');
  const { pointCount } = await import('../dist/otlp/flatten.js');
  const { encodeResponse } = await import('../dist/otlp/encode.js');
  const forwarder = createForwarder({ upstream });
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const contentType = req.headers['content-type'];
      const { request: decoded, bytes } = decodeSizedRequest('metrics', Buffer.concat(chunks), { contentType, maxBytes: 1 << 26 });
      let items = 0;
      for (const rm of decoded.resourceMetrics) for (const sm of rm.scopeMetrics) for (const m of sm.metrics) items += pointCount(m);
      const result = await forwarder.forward('metrics', decoded, items, bytes);
      const body = encodeResponse('metrics', undefined, contentType.includes('json') ? 'json' : 'protobuf');
      res.writeHead(result.ok ? 200 : result.status, { 'content-type': contentType, 'content-length': body.byteLength }).end(body);
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
      // All servers stay up; runs alternate (pass-through, relay, gateway, pass-through…) so drift on
      // a shared machine hits them alike, and each figure is the median of its runs.
      const children = {
        passthrough: await startChild('passthrough', sink.url, pin),
        relay: await startChild('relay', sink.url, pin),
        gateway: await startChild('gateway', sink.url, pin),
      };
      const runs = { passthrough: [], relay: [], gateway: [] };
      for (const kind of Object.keys(children)) await load(children[kind], bodies, contentTypes[format], points, 1); // warm-up
      let upstreamRequests = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (const kind of Object.keys(children)) {
          const before = sink.stats().requests;
          runs[kind].push(await load(children[kind], bodies, contentTypes[format], points, SECONDS));
          if (kind === 'gateway') upstreamRequests += sink.stats().requests - before;
        }
      }
      const throughPeak = await children.passthrough.kill();
      const relayPeak = await children.relay.kill();
      const gatewayPeak = await children.gateway.kill();
      const through = median(runs.passthrough.map((r) => r.pointsPerSecond));
      const relay = median(runs.relay.map((r) => r.pointsPerSecond));
      const gateway = median(runs.gateway.map((r) => r.pointsPerSecond));
      // Ratios are taken round by round (runs seconds apart) and then the median: on a host whose speed
      // drifts over minutes, a ratio of medians would compare runs from different moments.
      const ratio = (a, b) => median(runs[a].map((r, i) => r.pointsPerSecond / runs[b][i].pointsPerSecond));
      // The same per CPU-second of the server: what one fully busy core would do, even when the
      // driver (on the other core) could not keep the server busy.
      const cpuRatio = (a, b) => median(runs[a].map((r, i) => r.pointsPerCpuSecond / runs[b][i].pointsPerCpuSecond));
      const busy = (kind) => `busy ${(100 * median(runs[kind].map((r) => r.busy))).toFixed(0)} %, ${fmt(median(runs[kind].map((r) => r.pointsPerCpuSecond)))} pt per CPU-s`;
      const errors = (kind) => runs[kind].reduce((n, r) => n + r.errors, 0);
      const exportsSent = runs.gateway.reduce((n, r) => n + r.requests, 0);
      const mib = (peak) => (peak ? `peak RSS ${peak.toFixed(0)} MiB` : '');
      rows.push([`${points} pt/export, ${format}: pass-through`, `${fmt(through)} pt/s`, [busy('passthrough'), errors('passthrough') ? `${errors('passthrough')} errors` : '', mib(throughPeak)].filter(Boolean).join('; ')]);
      rows.push([`${points} pt/export, ${format}: relay, no catalog`, `${fmt(relay)} pt/s`,
        [`${ratio('relay', 'passthrough').toFixed(2)}× pass-through`, busy('relay'), errors('relay') ? `${errors('relay')} errors` : '', mib(relayPeak)].filter(Boolean).join('; ')]);
      rows.push([`${points} pt/export, ${format}: gateway`, `${fmt(gateway)} pt/s`,
        `${ratio('gateway', 'passthrough').toFixed(2)}× pass-through (per CPU-s ${cpuRatio('gateway', 'passthrough').toFixed(2)}×), ${ratio('gateway', 'relay').toFixed(2)}× relay; ${busy('gateway')}; ${errors('gateway')} errors; ~${(exportsSent / Math.max(1, upstreamRequests)).toFixed(1)} exports per upstream request; ${mib(gatewayPeak)}`]);
    }
  }
  table(`gateway throughput: metric exports, ${CONCURRENCY} concurrent clients, median of ${ROUNDS} × ${SECONDS} s (ratios: median of each round's), server ${pin ? 'pinned to 1 core' : 'unpinned'}`, rows);

  const lat = [];
  const requests = payloads(LATENCY_POINTS);
  for (const format of ['protobuf', 'json']) {
    const bodies = requests.map((r) => encodeRequest('metrics', r, format));
    // Unpinned: a pinned core left idle between requests is woken by the hypervisor, which on a small
    // VM adds milliseconds to any process's tail (the pass-through's too). The pass-through and relay
    // rows show what any hop and the codec cost, so the gateway's own share can be read off.
    const children = {
      passthrough: await startChild('passthrough', sink.url, undefined),
      relay: await startChild('relay', sink.url, undefined),
      gateway: await startChild('gateway', sink.url, undefined),
    };
    // A long warm-up: a gateway is a long-running process, its steady state is what clients meet.
    for (const child of Object.values(children)) await latency([child.url], bodies, contentTypes[format], 3000);
    // Request by request in turn (direct, pass-through, relay, gateway, direct…): the host's slow
    // moments, which set every hop's tail on a small VM, then fall on all four alike.
    const urls = { direct: sink.url, ...Object.fromEntries(Object.entries(children).map(([k, c]) => [k, c.url])) };
    const measured = await latency(Object.values(urls), bodies, contentTypes[format], LATENCY_REQUESTS);
    const times = Object.fromEntries(Object.keys(urls).map((kind, i) => [kind, measured[i]]));
    for (const child of Object.values(children)) await child.kill();
    const direct = percentiles(times.direct);
    const names = { direct: 'direct to sink', passthrough: 'through pass-through', relay: 'through relay, no catalog', gateway: 'through gateway' };
    for (const kind of Object.keys(times)) {
      const p = percentiles(times[kind]);
      lat.push([`${format}: ${names[kind]} p50 / p99`, `${p.p50.toFixed(2)} ms`, `${p.p99.toFixed(2)} ms`]);
    }
    for (const kind of ['passthrough', 'gateway']) {
      const p = percentiles(times[kind]);
      lat.push([`${format}: ${kind === 'gateway' ? 'gateway' : 'pass-through'} added p50 / p99`, `${(p.p50 - direct.p50).toFixed(2)} ms`, `${(p.p99 - direct.p99).toFixed(2)} ms`]);
    }
  }
  table(`gateway latency: ${LATENCY_REQUESTS} sequential ${LATENCY_POINTS}-point exports to each path, the paths in turn, each acknowledged by the sink`, lat);
  console.log(`  (sink received ${fmt(sink.stats().requests)} requests, ${(sink.stats().bytes / 2 ** 20).toFixed(0)} MiB)`);
  await sink.close();
  process.exit(0);
}

/**
 * `CONCURRENCY` connections posting to a server back to back for `seconds` (autocannon: a load
 * generator several times cheaper per request than Node's own HTTP client, so the driver's core is
 * not what limits the measured server): points acknowledged per second, and per CPU-second the
 * server spent (`busy`: the share of its core it used).
 */
async function load(server, bodies, contentType, points, seconds) {
  const cpuBefore = server.cpuSeconds();
  const result = await autocannon({
    url: server.url,
    connections: CONCURRENCY,
    duration: seconds,
    requests: bodies.map((body) => ({ method: 'POST', path: '/v1/metrics', headers: { 'content-type': contentType }, body: Buffer.from(body.buffer, body.byteOffset, body.byteLength) })),
  });
  const cpu = server.cpuSeconds() - cpuBefore;
  const acknowledged = result['2xx'] * points;
  const elapsed = result.duration;
  return {
    pointsPerSecond: acknowledged / elapsed, pointsPerCpuSecond: acknowledged / cpu, busy: cpu / elapsed,
    errors: result.non2xx + result.errors + result.timeouts, requests: result.requests.total,
  };
}

/** `count` sequential rounds at a steady pace, each posting once to every URL in turn; round-trip times in ms, per URL. */
async function latency(urls, bodies, contentType, count) {
  const targets = urls.map((url) => ({ url: new URL(`${url}/v1/metrics`), agent: new Agent({ keepAlive: true, maxSockets: 1 }), times: [] }));
  for (let i = 0; i < count; i++) {
    for (const target of targets) {
      const t = performance.now();
      await post(target.url, bodies[i % bodies.length], contentType, target.agent);
      target.times.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 1));
    }
  }
  for (const target of targets) target.agent.destroy();
  return targets.map((target) => target.times);
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

/**
 * A measured server: the pass-through proxy (this file as a child), or the gateway exactly as users
 * run it — the `optel gateway` command, its defaults (worker thread, nursery size) included.
 */
function startChild(kind, upstream, pin) {
  const flags = (process.env.BENCH_CHILD_FLAGS ?? '').split(' ').filter(Boolean);
  const argv = kind === 'gateway'
    ? [process.execPath, ...flags, OPTEL, 'gateway', '--catalog', CATALOG, '--upstream', upstream, '--port', '0',
        '--rate', '1000000/s', '--global-rate', '1000000/s', '--quiet', ...(process.env.BENCH_GATEWAY_ARGS ?? '').split(' ').filter(Boolean)]
    : [process.execPath, ...flags, ...(kind === 'relay' ? ['--max-semi-space-size=64'] : []), SELF, kind, upstream];
  const [cmd, ...args] = pin ? [...pin, ...argv] : argv;
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // kill() resolves with the server's peak resident memory in MiB (Linux), read just before it stops.
  const kill = async () => {
    let peak;
    try {
      peak = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024;
    } catch {
      peak = undefined;
    }
    child.kill();
    await exited;
    return peak;
  };
  // User + system CPU seconds the server has used so far, all its threads (Linux: /proc/<pid>/stat).
  const cpuSeconds = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  };
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('error', reject);
    child.stdout.on('data', (d) => {
      output += d;
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url) resolve({ url, kill, cpuSeconds });
    });
  });
}

function fmt(n) {
  return Math.round(n).toLocaleString('en-US');
}
