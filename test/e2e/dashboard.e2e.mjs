// Browser test of the `optel dev` dashboard: a real dev server, the real todo CLI sending to it,
// and Debian's Chromium driven by playwright-core. Run with `npm run test:e2e` (scripts/e2e.sh
// builds first). Exits non-zero on failure; leaves screenshots in test/e2e/ and docs/dashboard.png.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..', '..');
const TODO = join(ROOT, 'examples', 'todo', 'bin.mjs');
const SHOTS = join(ROOT, 'test', 'e2e');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const { startDevServer } = await import(join(ROOT, 'dist', 'dev', 'index.js'));

function step(text) {
  process.stderr.write(`e2e: ${text}\n`);
}

function todo(home, args, env = {}) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [TODO, ...args], {
      cwd: home,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TODO_TELEMETRY_FLUSH: 'immediate', OTEL_EXPORTER_OTLP_ENDPOINT: server.url, ...env },
      stdio: 'ignore',
    });
    child.on('error', fail);
    child.on('close', done);
  });
}

async function until(what, predicate, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const invoked = () => server.snapshot().events.find((e) => e.name === 'todo.cli.invoked')?.count ?? 0;

/** One todo run, waited for until its telemetry arrived, so the dashboard's numbers are exact. */
async function run(home, args, env, { records = 0, spans = 0 } = {}) {
  const before = { invoked: invoked(), records: server.snapshot().tiers.events.items, spans: server.snapshot().tiers.traces.items };
  await todo(home, args, env);
  await until(`todo ${args.join(' ')} to arrive`, () => {
    const s = server.snapshot();
    return invoked() > before.invoked && s.tiers.events.items >= before.records + records && s.tiers.traces.items >= before.spans + spans;
  });
}

const work = mkdtempSync(join(tmpdir(), 'optel-e2e-'));
// One tier setting per HOME: a sender started by one run may also deliver what the next run in
// the same HOME spooled, under its own settings, which would make the tier counts racy.
const homes = { withEvents: join(work, 'alice'), metricsOnly: join(work, 'bob'), withTraces: join(work, 'carol') };
for (const h of Object.values(homes)) mkdirSync(h);
const server = await startDevServer({ port: 0, save: join(work, 'saved.jsonl') });
let context;
let page;
let failed = false;

try {
  step(`dev server at ${server.url}; running the todo example`);
  const events = { TODO_TELEMETRY_EVENTS: 'on' };
  const traces = { TODO_TELEMETRY_EVENTS: 'on', TODO_TELEMETRY_TRACES: 'on' };
  await run(homes.metricsOnly, ['add', 'buy', 'milk'], {});
  await run(homes.withEvents, ['add', 'water', 'the', 'plants'], events, { records: 2 });
  await run(homes.withEvents, ['list'], events, { records: 2 });
  await run(homes.withTraces, ['add', 'walk', 'the', 'dog'], traces, { records: 2, spans: 1 });
  await run(homes.withTraces, ['done', '1'], traces, { records: 2, spans: 1 });
  await run(homes.withEvents, ['fail'], events, { records: 1 });
  await run(homes.metricsOnly, ['list', '--open'], { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
  await run(homes.withTraces, ['done', '7'], traces, { records: 1, spans: 1 });
  assert.equal(invoked(), 8);

  step('opening the dashboard in Chromium');
  context = await chromium.launchPersistentContext(join(work, 'chromium-profile'), {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1360, height: 900 },
    deviceScaleFactor: 1,
  });
  page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  await page.goto(`${server.url}/`);

  const count = (event) => page.locator(`[data-testid="event-row"][data-event="${event}"] [data-testid="event-count"]`);
  await count('todo.cli.invoked').filter({ hasText: /^8$/ }).waitFor({ timeout: 10_000 });
  assert.equal(await count('todo.item.added').textContent(), '3');
  assert.equal(await count('todo.list.viewed').textContent(), '2');
  assert.equal(await count('todo.item.completed').textContent(), '1');
  assert.equal(await page.getByTestId('installations-value').textContent(), '3');
  for (const tier of ['metrics', 'events', 'traces']) {
    assert.equal(await page.getByTestId(`tier-${tier}`).getAttribute('data-state'), 'on', `${tier} tier shown as arriving`);
  }
  assert.equal(await page.getByTestId('log-row').count(), 10);
  assert.equal(await page.getByTestId('span-row').count(), 3);
  assert.match(await page.getByTestId('detail-name').textContent(), /todo\.cli\.invoked/);
  assert.match(await page.getByTestId('detail-p50').textContent(), /\d (µs|ms|s)$/);
  assert.equal(await page.locator('[data-testid="attr-value"][data-key="cli.command"][data-value="add"] .n').textContent(), '3');
  await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor({ timeout: 5_000 });

  step('one more run: the page must update without a reload');
  const navigations = [];
  page.on('framenavigated', (f) => navigations.push(f.url()));
  await run(homes.withEvents, ['add', 'call', 'mum'], events, { records: 2 });
  await count('todo.cli.invoked').filter({ hasText: /^9$/ }).waitFor({ timeout: 10_000 });
  assert.equal(await count('todo.item.added').textContent(), '4');
  assert.deepEqual(navigations, []);

  step('selecting another event shows its detail');
  await page.locator('[data-testid="event-row"][data-event="todo.item.added"]').click();
  await page.getByTestId('detail-name').filter({ hasText: 'todo.item.added' }).waitFor();
  assert.equal(await page.getByTestId('detail-count').textContent(), '4');
  await page.locator('[data-testid="event-row"][data-event="todo.cli.invoked"]').click();
  await page.getByTestId('detail-name').filter({ hasText: 'todo.cli.invoked' }).waitFor();

  // Back to the top: a sticky header would otherwise be painted mid-page in a full-page shot.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, 'dashboard.png'), fullPage: true });
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  copyFileSync(join(SHOTS, 'dashboard.png'), join(ROOT, 'docs', 'dashboard.png'));
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(SHOTS, 'dashboard-dark.png'), fullPage: true });
  assert.deepEqual(problems, []);
  step('passed; screenshots in test/e2e/dashboard.png, test/e2e/dashboard-dark.png and docs/dashboard.png');
} catch (err) {
  failed = true;
  process.stderr.write(`e2e: FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  if (page) await page.screenshot({ path: join(SHOTS, 'failure.png'), fullPage: true }).catch(() => {});
} finally {
  await context?.close().catch(() => {});
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
