// Whole-process wall time of the reference CLI: telemetry off vs on (hourly and immediate
// delivery) vs the naive in-process flush; then exit time with the endpoint refusing or hanging.
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReceiver } from './receiver.mjs';
import { interleaved, ratio, table } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;
const todo = join(root, 'examples', 'todo', 'bin.mjs');
const naive = join(root, 'bench', 'fixtures', 'naive-todo.mjs');
const RUNS = 31;
const receiver = await startReceiver();
const home = (name) => mkdtempSync(join(tmpdir(), `optel-bench-${name}-`));
const envFor = (h, extra) => ({ PATH: process.env.PATH, HOME: h, TODO_DB: join(h, 'db.json'), ...extra });

// A port that refuses, and a server that accepts and never answers.
const refused = await new Promise((r) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
const hang = createServer(() => {});
await new Promise((r) => hang.listen(0, '127.0.0.1', r));
const hangingPort = hang.address().port;

const homes = { off: home('off'), hourly: home('hourly'), immediate: home('imm'), refused: home('ref'), hanging: home('hang') };
const variants = [
  { name: 'off', cmd: process.execPath, args: [todo, 'list'], env: envFor(homes.off, { DO_NOT_TRACK: '1' }) },
  { name: 'on, hourly', cmd: process.execPath, args: [todo, 'list'], env: envFor(homes.hourly, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }) },
  { name: 'on, immediate', cmd: process.execPath, args: [todo, 'list'], env: envFor(homes.immediate, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, TODO_TELEMETRY_FLUSH: 'immediate' }), cooldownMs: 1500 },
  { name: 'naive in-process flush', cmd: process.execPath, args: [naive], cwd: root, env: { PATH: process.env.PATH, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } },
];
const t = await interleaved(variants, RUNS);
table(`reference CLI \`todo list\` (wall ms, median of ${RUNS} interleaved runs)`, variants.map((v) => [
  v.name, `${t[v.name].toFixed(1)} ms`, v.name === 'off' ? '1.00× (baseline)' : `${ratio(t[v.name], t.off)}  +${(t[v.name] - t.off).toFixed(1)} ms`,
]));

const exits = [
  { name: 'off', cmd: process.execPath, args: [todo, 'list'], env: envFor(homes.off, { DO_NOT_TRACK: '1' }) },
  { cooldownMs: 1500, name: 'endpoint healthy', cmd: process.execPath, args: [todo, 'list'], env: envFor(homes.immediate, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, TODO_TELEMETRY_FLUSH: 'immediate' }) },
  { cooldownMs: 1500, name: 'endpoint refusing', cmd: process.execPath, args: [todo, 'list'], env: envFor(homes.refused, { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${refused}`, TODO_TELEMETRY_FLUSH: 'immediate' }) },
  { cooldownMs: 1500, name: 'endpoint hanging', cmd: process.execPath, args: [todo, 'list'], env: envFor(homes.hanging, { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${hangingPort}`, TODO_TELEMETRY_FLUSH: 'immediate' }) },
  { name: 'naive, endpoint refusing', cmd: process.execPath, args: [naive], cwd: root, env: { PATH: process.env.PATH, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${refused}` } },
  { name: 'naive, endpoint hanging', cmd: process.execPath, args: [naive], cwd: root, env: { PATH: process.env.PATH, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${hangingPort}`, OTEL_EXPORTER_OTLP_TIMEOUT: '10000' } },
];
const e = await interleaved(exits, 7, 1);
// The baseline is the same CLI delivering immediately to a healthy endpoint: what a broken one adds.
const healthy = e['endpoint healthy'];
table('exit time with a broken endpoint, immediate delivery (wall ms, median of 7)', exits.map((v) => [
  v.name, `${e[v.name].toFixed(1)} ms`, v.name === 'endpoint healthy' ? '1.00× (baseline)' : `${ratio(e[v.name], healthy)}  ${e[v.name] >= healthy ? '+' : ''}${(e[v.name] - healthy).toFixed(1)} ms`,
]));

await receiver.close();
hang.close();
for (const h of Object.values(homes)) rmSync(h, { recursive: true, force: true });
process.exit(0);
