import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { counterTotal, ROOT, runTodo, settle, tempHome, toReceiver } from '../support/run-example.js';

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe('OTEL_*_EXPORTER', () => {
  it('console prints the OTLP/JSON request on stderr (the sender inherits it) and never on stdout', async () => {
    const run = await runTodo(tempHome(), ['list'], { TODO_TELEMETRY_FLUSH: 'immediate', OTEL_METRICS_EXPORTER: 'console' });
    expect(run.stdout).toBe('nothing to do\n');
    const json = run.stderr.split('\n').find((l) => l.startsWith('{"resourceMetrics"'));
    expect(JSON.parse(json!).resourceMetrics[0].scopeMetrics[0].metrics.map((m: { name: string }) => m.name)).toContain('todo.cli.invoked.count');
  });

  it('none turns a tier off: no metrics, while events still go out', async () => {
    await runTodo(tempHome(), ['add', 'x'], toReceiver(receiver, { OTEL_METRICS_EXPORTER: 'none', TODO_TELEMETRY_EVENTS: 'on' }));
    await receiver.waitFor(() => receiver.logs().length === 2);
    await settle(300);
    expect(receiver.requests.some((r) => r.signal === 'metrics')).toBe(false);
    expect(counterTotal(receiver, 'todo.cli.invoked.count')).toBe(0);
  });

  it('sends to an https collector whose certificate OTEL_EXPORTER_OTLP_CERTIFICATE names (a private CA), as the OTLP exporters do', async () => {
    const tls = join(ROOT, 'test', 'fixtures', 'tls');
    const secure = await startReceiver({ tls: { key: readFileSync(join(tls, 'key.pem')), cert: readFileSync(join(tls, 'cert.pem')) } });
    try {
      await runTodo(tempHome(), ['add', 'x'], toReceiver(secure, { TODO_TELEMETRY_EVENTS: 'on', OTEL_EXPORTER_OTLP_CERTIFICATE: join(tls, 'cert.pem') }));
      await secure.waitFor(() => counterTotal(secure, 'todo.cli.invoked.count') === 1 && secure.logs().length === 2);
      // A path relative to where the CLI ran, though the sender runs in the state directory; a blank signal variable is unset.
      await runTodo(tempHome(), ['add', 'y'], toReceiver(secure, { OTEL_EXPORTER_OTLP_CERTIFICATE: 'cert.pem', OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE: ' ' }), tls);
      await secure.waitFor(() => counterTotal(secure, 'todo.cli.invoked.count') === 2);
    } finally {
      await secure.close();
    }
  });

  it('sends the configured headers and honours a signal-specific endpoint', async () => {
    const other = await startReceiver();
    try {
      await runTodo(tempHome(), ['list'], toReceiver(receiver, {
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cr%3Dt,x-team=cli',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${other.url}/tenant-a/v1/metrics`,
      }));
      await other.waitFor(() => other.requests.length > 0);
      expect(other.requests[0]!.headers['x-api-key']).toBe('s3cr=t');
      expect(other.requests[0]!.headers['x-team']).toBe('cli');
    } finally {
      await other.close();
    }
  });
});
