import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { cleanEnv, counterTotal, ROOT, tempHome } from '../support/run-example.js';

const open: OtlpReceiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

/**
 * A daemon that records one event, awaits `shutdown()` and then simply ends (no `process.exit`):
 * resolves with how long the process lived.
 */
async function daemonThatEnds(endpoint: string): Promise<{ code: number | null; ms: number }> {
  const script = join(mkdtempSync(join(tmpdir(), 'optel-daemon-')), 'd.mjs');
  writeFileSync(script, `import { createTelemetry } from ${JSON.stringify(join(ROOT, 'dist', 'index.js'))};
    import { catalog } from ${JSON.stringify(join(ROOT, 'examples', 'daemon', 'catalog.mjs'))};
    const telemetry = createTelemetry({ catalog, version: '0.3.0', mode: 'daemon', defaults: { metrics: true, events: true, endpoint: ${JSON.stringify(endpoint)} } });
    telemetry.track('notesd.note.created', { 'note.length': 3 });
    await telemetry.shutdown();\n`);
  const started = Date.now();
  const child = spawn(process.execPath, [script], { env: cleanEnv(tempHome(), { OTEL_EXPORTER_OTLP_TIMEOUT: '30000' }), stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, ms: Date.now() - started };
}

describe('the daemon recorder', () => {
  it('sends its last export when the host awaits shutdown() and ends', async () => {
    const r = await startReceiver();
    open.push(r);
    expect((await daemonThatEnds(r.url)).code).toBe(0);
    expect(counterTotal(r, 'notesd.note.created.count')).toBe(1);
    expect(r.logs().map((l) => l.eventName)).toEqual(['notesd.note.created']);
  }, 60_000);

  it.each([
    ['never answers', { hang: true }],
    ['answers 503 with Retry-After: 20', { status: 503, retryAfter: '20' }],
    ['is not there', undefined],
  ] as const)('does not keep the process up to the OTLP timeout (30 s) when the collector %s', async (_, options) => {
    const collector = await startReceiver(options ?? {});
    open.push(collector);
    const url = collector.url;
    if (options === undefined) await open.pop()!.close();
    const { code, ms } = await daemonThatEnds(url);
    if (options !== undefined) expect(collector.requests.length + collector.rejected.length).toBeGreaterThan(0);
    expect(code).toBe(0);
    // Bounded by shutdown()'s 5 s, not by the exports' 30 s timeout or their retries.
    expect(ms).toBeLessThan(20_000);
  }, 60_000);

  it('sends spans and log records in no trace of the host\'s, whatever span the host has active', async () => {
    const r = await startReceiver();
    open.push(r);
    const script = join(mkdtempSync(join(tmpdir(), 'optel-daemon-')), 'host.mjs');
    // The host's own tracing: a context manager over AsyncLocalStorage (what OTel's Node context
    // manager is), so work optel defers from inside the host's span still sees that span active.
    writeFileSync(script, `import { AsyncLocalStorage } from 'node:async_hooks';
      import { context, trace, ROOT_CONTEXT } from ${JSON.stringify(createRequire(import.meta.url).resolve('@opentelemetry/api'))};
      import { createTelemetry } from ${JSON.stringify(join(ROOT, 'dist', 'index.js'))};
      import { catalog } from ${JSON.stringify(join(ROOT, 'examples', 'todo', 'catalog.mjs'))};
      const storage = new AsyncLocalStorage();
      context.setGlobalContextManager({
        active: () => storage.getStore() ?? ROOT_CONTEXT,
        with: (ctx, fn, thisArg, ...args) => storage.run(ctx, () => fn.call(thisArg, ...args)),
        bind: (ctx, target) => target, enable() { return this; }, disable() { return this; },
      });
      const hostSpan = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
      const telemetry = createTelemetry({ catalog, version: '1.0.0', mode: 'daemon', defaults: { metrics: true, endpoint: ${JSON.stringify(r.url)} } });
      await telemetry.flush(); // the SDK loaded: track() now emits at once, inside the host's context
      context.with(trace.setSpan(context.active(), hostSpan), () => telemetry.track('todo.cli.invoked', { 'cli.command': 'list', success: true }, { durationMs: 12 }));
      await telemetry.shutdown();\n`);
    const child = spawn(process.execPath, [script], { env: cleanEnv(tempHome(), { TODO_TELEMETRY_EVENTS: 'on', TODO_TELEMETRY_TRACES: 'on' }), stdio: 'ignore' });
    expect(await new Promise<number | null>((resolve) => child.on('exit', resolve))).toBe(0);
    const [span] = r.spans();
    const [log] = r.logs();
    expect(span?.name).toBe('todo.cli.invoked');
    expect(span?.traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span?.parentSpanId ?? '').toBe('');
    expect(log?.eventName).toBe('todo.cli.invoked');
    expect(log?.traceId ?? '').toBe('');
    expect(log?.spanId ?? '').toBe('');
  }, 60_000);
});
