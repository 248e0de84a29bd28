#!/usr/bin/env node
// `npm run demo`: installs and builds if needed, starts `optel dev`, runs the reference todo CLI a
// dozen times against it (successes, failures, some runs with the events and traces tiers on),
// prints what arrived and the dashboard address, and keeps the dashboard up until Ctrl+C.
// `--once` (or a non-interactive stdout, as in CI) prints the summary and exits; `--no-build` uses
// dist/ as it is (the tests, which have just built it).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const once = process.argv.includes('--once') || !process.stdout.isTTY;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`demo: \`${command} ${args.join(' ')}\` failed`);
    process.exit(1);
  }
}

if (!existsSync(join(root, 'node_modules', '@opentelemetry', 'sdk-metrics'))) step(npm, ['ci', '--no-audit', '--no-fund']);
if (!process.argv.includes('--no-build')) {
  console.log('building…');
  step(npm, ['run', '--silent', 'build']);
}

const { startDevServer } = await import('../dist/dev/index.js');
let server;
for (const port of [4318, 0]) {
  try {
    server = await startDevServer({ port });
    break;
  } catch (error) {
    if (port === 0) throw error;
  }
}

const home = mkdtempSync(join(tmpdir(), 'optel-demo-'));
const todo = join(root, 'examples', 'todo', 'bin.mjs');
const run = (args, extra = {}) =>
  new Promise((resolve) => {
    const env = { PATH: process.env.PATH, HOME: home, TODO_TELEMETRY_FLUSH: 'immediate', OTEL_EXPORTER_OTLP_ENDPOINT: server.url, ...extra };
    const child = spawn(process.execPath, [todo, ...args], { cwd: home, env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });

const rich = { TODO_TELEMETRY_EVENTS: 'on', TODO_TELEMETRY_TRACES: 'on' };
const script = [
  [['add', 'write', 'the', 'release', 'notes']], [['add', 'email', 'alice@example.com', 'about', '/home/alice/plan.md'], rich],
  [['add', 'fix', 'the', 'flaky', 'test']], [['list']], [['done', '1']], [['list', '--open'], rich], [['done', '2'], rich],
  [['fail']], [['done', '99']], [['fail'], rich], [['list']], [['telemetry', 'status']],
];
console.log(`\nrunning the todo CLI ${script.length} times against ${server.url} …`);
for (const [args, extra] of script) {
  const { code } = await run(args, extra);
  console.log(`  todo ${args.join(' ').padEnd(56)} exit ${code}`);
}

// Senders deliver within a couple of seconds of each exit; wait until every command has arrived.
// `todo telemetry …` is the user looking at their settings: never recorded, so not waited for.
const expected = script.filter(([args]) => args[0] !== 'telemetry').length;
const invoked = () => server.snapshot().events.find((e) => e.name === 'todo.cli.invoked')?.counts.metrics ?? 0;
const deadline = Date.now() + 20_000;
while (invoked() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

console.log(`\n${server.summary()}`);
console.log('  (count: runs in the metrics tier; records: log records, events tier; spans: traces tier)');
// The point of it all: what the events tier carried for the item with an email and a path in it.
const added = server.snapshot().logs.find((l) => l.event === 'todo.item.added' && String(l.attributes.text ?? '').includes('<'));
if (added) console.log(`\nwhat arrived of \`todo add email alice@example.com about /home/alice/plan.md\` (events tier):\n  ${JSON.stringify(added.attributes)}`);
if (invoked() < expected) console.log(`(only ${invoked()} of ${expected} recorded commands arrived in time)`);

const finish = async () => {
  await server.close();
  rmSync(home, { recursive: true, force: true });
};
if (once) {
  await finish();
  process.exit(invoked() === expected ? 0 : 1);
}
console.log(`dashboard: ${server.url}   (Ctrl+C to stop)`);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    console.log(`\n${server.summary()}`);
    await finish();
    process.exit(0);
  });
}
