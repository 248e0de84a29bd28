import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { cleanEnv, counterTotal, ROOT, runNode, settle, tempHome, type RunResult } from '../support/run-example.js';

const open: OtlpReceiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function receiver(): Promise<OtlpReceiver> {
  const r = await startReceiver();
  open.push(r);
  return r;
}

/** Runs `body` as a host process of the todo catalog (`telemetry`: its client, made by `make`), delivering to `r`. */
function host(r: OtlpReceiver, make: string, body: string, env: Record<string, string> = {}): Promise<RunResult> {
  const script = join(mkdtempSync(join(tmpdir(), 'optel-host-')), 'host.mjs');
  writeFileSync(script, `import { createTelemetry } from ${JSON.stringify(join(ROOT, 'dist', 'index.js'))};
    import { catalog } from ${JSON.stringify(join(ROOT, 'examples', 'todo', 'catalog.mjs'))};
    const telemetry = createTelemetry({ catalog, version: '1.0.0', ${make} });
    ${body}\n`);
  return runNode(script, [], { env: cleanEnv(tempHome(), { TODO_TELEMETRY_FLUSH: 'immediate', OTEL_EXPORTER_OTLP_ENDPOINT: r.url, OTEL_METRIC_EXPORT_INTERVAL: '60000', ...env }) });
}

const listed = (r: OtlpReceiver) => counterTotal(r, 'todo.list.viewed.count');

describe('consent given while the process runs (a first-run prompt)', () => {
  it.each(['cli', 'daemon'])('takes effect at once in %s mode', async (mode) => {
    const r = await receiver();
    const run = await host(r, `mode: '${mode}', defaults: { metrics: false }`, `
      telemetry.setConsent(true, 'prompt');
      telemetry.track('todo.list.viewed', { filter: 'all' });
      await telemetry.shutdown();`);
    expect(run.code).toBe(0);
    await r.waitFor(() => listed(r) === 1);
  });

  it('gives a daemon the tier it turned on: events go out as log records from then on', async () => {
    const r = await receiver();
    const run = await host(r, "mode: 'daemon'", `
      telemetry.track('todo.item.added', { text: 'before' });
      await telemetry.flush();
      telemetry.setConsent({ events: true }, 'prompt');
      telemetry.track('todo.item.added', { text: 'after' });
      await telemetry.shutdown();`);
    expect(run.code).toBe(0);
    await r.waitFor(() => counterTotal(r, 'todo.item.added.count') === 2 && r.logs().length === 1);
    expect(r.logs()[0]!.attributes.text).toBe('after');
  });
});

describe('consent withdrawn from a daemon', () => {
  it('sends nothing of what it still held: no socket after the user said no', async () => {
    const r = await receiver();
    const run = await host(r, "mode: 'daemon', defaults: { events: true }", `
      await telemetry.flush(); // the OTel SDK loaded, its exporters made
      telemetry.track('todo.item.added', { text: 'typed before the user said no' });
      telemetry.setConsent(false);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // past the log batch delay`);
    expect(run.code).toBe(0);
    await settle(500);
    expect(r.requests).toEqual([]);
  });

  it('drops what it held of the withdrawn tier and delivers the rest, quietly', async () => {
    const r = await receiver();
    const run = await host(r, "mode: 'daemon', defaults: { events: true }, notice: false", `
      const { createRequire } = await import('node:module');
      const { diag, DiagConsoleLogger, DiagLogLevel } = createRequire(${JSON.stringify(join(ROOT, 'package.json'))})('@opentelemetry/api');
      diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
      await telemetry.flush();
      telemetry.track('todo.item.added', { text: 'withdrawn' });
      telemetry.setConsent({ events: false });
      telemetry.track('todo.list.viewed', { filter: 'open' });
      await telemetry.shutdown();`);
    expect(run.code).toBe(0);
    await r.waitFor(() => listed(r) === 1 && counterTotal(r, 'todo.item.added.count') === 1);
    await settle(300);
    expect(r.logs()).toEqual([]);
    // A drop on purpose is no export error for the host's logger to print.
    expect(run.stderr + run.stdout).toBe('');
  });
});

describe('records made in a host\'s own exit listener', () => {
  it('are spooled and delivered, after the exit write', async () => {
    const r = await receiver();
    const run = await host(r, '', `
      telemetry.track('todo.list.viewed', { filter: 'all' });
      process.on('exit', () => telemetry.track('todo.list.viewed', { filter: 'open' }));`);
    expect(run.code).toBe(0);
    await r.waitFor(() => listed(r) === 2);
  });

  it('are delivered when they are the run\'s first', async () => {
    const r = await receiver();
    const run = await host(r, '', "process.on('exit', () => telemetry.track('todo.list.viewed', { filter: 'open' }));");
    expect(run.code).toBe(0);
    await r.waitFor(() => listed(r) === 1);
  });

  it('are delivered, with what came before, when the host\'s listener came first and calls process.exit() again', async () => {
    const r = await receiver();
    const run = await host(r, '', `
      process.on('exit', (code) => {
        telemetry.track('todo.list.viewed', { filter: 'open' });
        if (code === 0) process.exit(3); // ends the process there: optel's own exit listener never runs
      });
      telemetry.track('todo.list.viewed', { filter: 'all' });
      telemetry.track('todo.list.viewed', { filter: 'all' });`);
    expect(run.code).toBe(3);
    await r.waitFor(() => listed(r) === 3);
  });

  it('cost the exit at most ten writes: past them they are dropped, with a diag line', async () => {
    const r = await receiver();
    const run = await host(r, '', `
      const { createRequire } = await import('node:module');
      const { diag, DiagLogLevel } = createRequire(${JSON.stringify(join(ROOT, 'package.json'))})('@opentelemetry/api');
      const say = (m) => process.stderr.write('diag: ' + m + '\\n');
      diag.setLogger({ error: say, warn: say, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
      telemetry.track('todo.list.viewed', { filter: 'all' });
      process.on('exit', () => { for (let i = 0; i < 200; i++) telemetry.track('todo.list.viewed', { filter: 'open' }); });`);
    expect(run.code).toBe(0);
    expect(run.stderr.split('recorded while the process exits, past 10 such records')).toHaveLength(191);
    await r.waitFor(() => listed(r) === 11);
    await settle(1000);
    expect(listed(r)).toBe(11);
  });
});

describe('a record made after shutdown()', () => {
  it.each(['cli', 'daemon'])('is dropped with a diag line in %s mode, not silently', async (mode) => {
    const r = await receiver();
    const run = await host(r, `mode: '${mode}'`, `
      const { createRequire } = await import('node:module');
      const { diag, DiagLogLevel } = createRequire(${JSON.stringify(join(ROOT, 'package.json'))})('@opentelemetry/api');
      const say = (m) => process.stderr.write('diag: ' + m + '\\n');
      diag.setLogger({ error: say, warn: say, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
      telemetry.track('todo.list.viewed', { filter: 'all' });
      await telemetry.shutdown();
      telemetry.track('todo.list.viewed', { filter: 'open' });`);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('dropped "todo.list.viewed": recorded after shutdown()');
  });
});

describe('a process that writes again after its sender finished', () => {
  it('launches another, so what it wrote later is delivered now', async () => {
    const r = await receiver();
    const run = await host(r, '', `
      telemetry.track('todo.list.viewed', { filter: 'all' });
      await telemetry.flush();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      telemetry.track('todo.list.viewed', { filter: 'open' });`);
    expect(run.code).toBe(0);
    await r.waitFor(() => listed(r) === 2);
  });
});
