import { afterEach, describe, expect, it } from 'vitest';
import { mirrorDiag } from '../../src/diag.js';
import { envLayer, killSwitch, type Env } from '../../src/config/env-layer.js';
import { envPrefix } from '../../src/config/settings.js';

/** Collects optel's diag lines for the duration of one test. */
function captureDiag(): string[] {
  const lines: string[] = [];
  mirrorDiag((line) => lines.push(line));
  return lines;
}
afterEach(() => mirrorDiag(undefined));

describe('killSwitch', () => {
  it.each<[Env, string | undefined]>([
    [{}, undefined],
    [{ DO_NOT_TRACK: '1' }, 'DO_NOT_TRACK'],
    [{ DO_NOT_TRACK: 'true' }, 'DO_NOT_TRACK'],
    [{ DO_NOT_TRACK: 'TRUE' }, 'DO_NOT_TRACK'],
    [{ DO_NOT_TRACK: ' 1 ' }, 'DO_NOT_TRACK'],
    [{ DO_NOT_TRACK: 'yes' }, 'DO_NOT_TRACK'],
    // Any other value is someone asking not to be tracked.
    [{ DO_NOT_TRACK: '2' }, 'DO_NOT_TRACK'],
    [{ DO_NOT_TRACK: 'please' }, 'DO_NOT_TRACK'],
    [{ DO_NOT_TRACK: '0' }, undefined],
    [{ DO_NOT_TRACK: ' Off ' }, undefined],
    [{ DO_NOT_TRACK: 'false' }, undefined],
    [{ DO_NOT_TRACK: '' }, undefined],
    [{ OTEL_SDK_DISABLED: 'true' }, 'OTEL_SDK_DISABLED'],
    [{ OTEL_SDK_DISABLED: 'TRUE' }, 'OTEL_SDK_DISABLED'],
    [{ OTEL_SDK_DISABLED: ' True ' }, 'OTEL_SDK_DISABLED'],
    [{ OTEL_SDK_DISABLED: 'false' }, undefined],
    // The spec reads only `true`; optel takes what collects less, like DO_NOT_TRACK.
    [{ OTEL_SDK_DISABLED: '1' }, 'OTEL_SDK_DISABLED'],
    [{ OTEL_SDK_DISABLED: 'yes' }, 'OTEL_SDK_DISABLED'],
    [{ OTEL_SDK_DISABLED: '0' }, undefined],
    [{ OTEL_SDK_DISABLED: '' }, undefined],
    [{ TODO_TELEMETRY: '0' }, 'TODO_TELEMETRY'],
    [{ TODO_TELEMETRY: 'off' }, 'TODO_TELEMETRY'],
    [{ TODO_TELEMETRY: 'false' }, 'TODO_TELEMETRY'],
    [{ TODO_TELEMETRY: 'OFF' }, 'TODO_TELEMETRY'],
    [{ TODO_TELEMETRY: '1' }, undefined],
    [{ TODO_TELEMETRY: 'on' }, undefined],
    // Not on/off (a typo of off, most likely): the safe reading is off.
    [{ TODO_TELEMETRY: 'banana' }, 'TODO_TELEMETRY'],
    [{ TODO_TELEMETRY: 'offf' }, 'TODO_TELEMETRY'],
    [{ TODO_TELEMETRY: ' ' }, undefined],
    [{ OTHER_TELEMETRY: '0' }, undefined],
    [{ DO_NOT_TRACK: '1', OTEL_SDK_DISABLED: 'true', TODO_TELEMETRY: '0' }, 'DO_NOT_TRACK'],
    [{ OTEL_SDK_DISABLED: 'true', TODO_TELEMETRY: '0' }, 'OTEL_SDK_DISABLED'],
  ])('for %j fires %s', (env, fired) => {
    expect(killSwitch('todo', env)).toBe(fired);
  });

  it('uses the app’s own prefix, with non-alphanumerics as underscores', () => {
    expect(envPrefix('my-app')).toBe('MY_APP');
    expect(killSwitch('my-app', { MY_APP_TELEMETRY: 'off' })).toBe('MY_APP_TELEMETRY');
    expect(killSwitch('my-app', { TODO_TELEMETRY: 'off' })).toBeUndefined();
  });
});

describe('envLayer', () => {
  it('is an empty env layer without an origin when nothing is set', () => {
    expect(envLayer('todo', {})).toEqual({ name: 'env', settings: {}, origin: undefined });
  });

  it.each<[string, Env, Record<string, unknown>]>([
    ['TODO_TELEMETRY_METRICS=on', { TODO_TELEMETRY_METRICS: 'on' }, { metrics: true }],
    ['TODO_TELEMETRY_METRICS=off', { TODO_TELEMETRY_METRICS: 'off' }, { metrics: false }],
    ['TODO_TELEMETRY_EVENTS=on', { TODO_TELEMETRY_EVENTS: 'on' }, { events: true }],
    ['TODO_TELEMETRY_EVENTS=0', { TODO_TELEMETRY_EVENTS: '0' }, { events: false }],
    ['TODO_TELEMETRY_TRACES=ON', { TODO_TELEMETRY_TRACES: 'ON' }, { traces: true }],
    ['TODO_TELEMETRY_FLUSH=immediate', { TODO_TELEMETRY_FLUSH: 'immediate' }, { flush: 'immediate' }],
    ['TODO_TELEMETRY_FLUSH=hourly', { TODO_TELEMETRY_FLUSH: 'hourly' }, { flush: 'hourly' }],
    ['TODO_TELEMETRY_FLUSH=Daily', { TODO_TELEMETRY_FLUSH: 'Daily' }, { flush: 'daily' }],
    ['TODO_TELEMETRY_DEBUG=1', { TODO_TELEMETRY_DEBUG: '1' }, { debug: true }],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com:4318' }, { endpoint: 'https://otel.example.com:4318' }],
    ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://m.example.com/x' }, { signalEndpoints: { metrics: 'http://m.example.com/x' } }],
    ['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://l.example.com/x' }, { signalEndpoints: { logs: 'http://l.example.com/x' } }],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t.example.com/x' }, { signalEndpoints: { traces: 'http://t.example.com/x' } }],
    ['OTEL_EXPORTER_OTLP_PROTOCOL=http/json', { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, { protocol: 'http/json' }],
    ['OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf', { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }, { protocol: 'http/protobuf' }],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', { OTEL_EXPORTER_OTLP_TIMEOUT: '2500' }, { timeoutMs: 2500 }],
    ['OTEL_METRICS_EXPORTER=console', { OTEL_METRICS_EXPORTER: 'console' }, { exporters: { metrics: 'console' } }],
    ['OTEL_LOGS_EXPORTER=none', { OTEL_LOGS_EXPORTER: 'none' }, { exporters: { logs: 'none' } }],
    ['OTEL_TRACES_EXPORTER=otlp', { OTEL_TRACES_EXPORTER: 'otlp' }, { exporters: { traces: 'otlp' } }],
    ['a comma list of exporters (the first decides)', { OTEL_METRICS_EXPORTER: 'console,otlp' }, { exporters: { metrics: 'console' } }],
    ['OTEL_SERVICE_NAME', { OTEL_SERVICE_NAME: ' todo-dev ' }, { serviceName: 'todo-dev' }],
    ['OTEL_METRIC_EXPORT_INTERVAL', { OTEL_METRIC_EXPORT_INTERVAL: '5000' }, { metricIntervalMs: 5000 }],
    ['OTEL_RESOURCE_ATTRIBUTES', { OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.namespace=cli%20tools' }, { resourceAttributes: { 'deployment.environment.name': 'prod', 'service.namespace': 'cli tools' } }],
  ])('reads %s', (variable, env, settings) => {
    const l = envLayer('todo', env);
    expect(l.settings).toEqual(settings);
    expect(l.origin).toBe(Object.keys(env)[0]);
  });

  it('percent-decodes OTEL_EXPORTER_OTLP_HEADERS and skips malformed entries', () => {
    const lines = captureDiag();
    const l = envLayer('todo', {
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20abc%3D%3D, x-team = a%2Cb ,,novalue,=nokey,bad=%E0%A4%A,empty=',
    });
    expect(l.settings.headers).toEqual({ Authorization: 'Bearer abc==', 'x-team': 'a,b', empty: '' });
    expect(lines.some((x) => x.includes('"novalue" is not key=value'))).toBe(true);
    expect(lines.some((x) => x.includes('"bad" is not valid percent-encoding'))).toBe(true);
    // A header's value never appears in a diag line.
    expect(lines.join('\n')).not.toContain('Bearer');
  });

  it('skips headers that are not valid HTTP (one would fail every export), naming the header, never its value', () => {
    const lines = captureDiag();
    const l = envLayer('todo', { OTEL_EXPORTER_OTLP_HEADERS: 'x-evil=a%0D%0Ab,bad name=1,x-ok=fine,x-nul=%00' });
    expect(l.settings.headers).toEqual({ 'x-ok': 'fine' });
    expect(lines.filter((x) => x.includes('has characters a header cannot carry'))).toHaveLength(2);
    expect(lines.some((x) => x.includes('"bad name" is not a valid header name'))).toBe(true);
  });

  it('reads per-signal headers too, validated the same way', () => {
    const lines = captureDiag();
    const l = envLayer('todo', { OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-m=1,x-bad=a%0Ab', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-t=2' });
    expect(l.settings.signalHeaders).toEqual({ metrics: { 'x-m': '1' }, traces: { 'x-t': '2' } });
    expect(l.origin).toBe('OTEL_EXPORTER_OTLP_METRICS_HEADERS, OTEL_EXPORTER_OTLP_TRACES_HEADERS');
    expect(lines.some((x) => x.includes('OTEL_EXPORTER_OTLP_METRICS_HEADERS: the value of "x-bad"'))).toBe(true);
  });

  it('takes only the operator labels from OTEL_RESOURCE_ATTRIBUTES, redacted and capped; other keys are dropped by name', () => {
    const lines = captureDiag();
    const l = envLayer('todo', {
      OTEL_RESOURCE_ATTRIBUTES: `host.name=alice-laptop,user.email=a@b.com,process.command_line=/home/bob/x,service.namespace=ops%20a@b.com,deployment.environment.name=${'x'.repeat(300)}`,
    });
    expect(l.settings.resourceAttributes).toEqual({ 'service.namespace': 'ops <email>', 'deployment.environment.name': 'x'.repeat(128) });
    for (const key of ['host.name', 'user.email', 'process.command_line']) expect(lines.some((x) => x.includes(`"${key}" is not sent`))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/alice|a@b\.com|bob/);
  });

  it('keeps everything that is set at once, and names every variable it used', () => {
    const env: Env = {
      TODO_TELEMETRY_METRICS: 'on',
      TODO_TELEMETRY_EVENTS: 'off',
      TODO_TELEMETRY_TRACES: 'on',
      TODO_TELEMETRY_FLUSH: 'daily',
      TODO_TELEMETRY_DEBUG: '1',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'https://m.example.com/v1/metrics',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://l.example.com/v1/logs',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://t.example.com/v1/traces',
      OTEL_EXPORTER_OTLP_HEADERS: 'a=1',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_LOGS_EXPORTER: 'console',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_SERVICE_NAME: 'svc',
      OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=v',
      OTEL_METRIC_EXPORT_INTERVAL: '30000',
    };
    const l = envLayer('todo', env);
    expect(l.settings).toEqual({
      metrics: true,
      events: false,
      traces: true,
      flush: 'daily',
      debug: true,
      endpoint: 'https://otel.example.com',
      signalEndpoints: {
        metrics: 'https://m.example.com/v1/metrics',
        logs: 'https://l.example.com/v1/logs',
        traces: 'https://t.example.com/v1/traces',
      },
      headers: { a: '1' },
      protocol: 'http/json',
      timeoutMs: 1000,
      exporters: { metrics: 'otlp', logs: 'console', traces: 'none' },
      serviceName: 'svc',
      resourceAttributes: { 'service.namespace': 'v' },
      metricIntervalMs: 30000,
    });
    expect(l.origin!.split(', ').sort()).toEqual(Object.keys(env).sort());
  });

  it.each<[string, Env]>([
    ['a blank switch', { TODO_TELEMETRY_EVENTS: '   ' }],
    ['an unknown flush window', { TODO_TELEMETRY_FLUSH: 'weekly' }],
    ['a debug value that is not on/off', { TODO_TELEMETRY_DEBUG: 'verbose' }],
    ['an endpoint that is not a URL', { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }],
    ['an endpoint that is not http(s)', { OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector.example.com' }],
    ['a signal endpoint that is not a URL', { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'nope' }],
    ['the gRPC protocol optel does not speak', { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }],
    ['a negative timeout', { OTEL_EXPORTER_OTLP_TIMEOUT: '-5' }],
    ['a zero timeout', { OTEL_EXPORTER_OTLP_TIMEOUT: '0' }],
    ['a fractional timeout', { OTEL_EXPORTER_OTLP_TIMEOUT: '1.5' }],
    ['a non-numeric timeout', { OTEL_EXPORTER_OTLP_TIMEOUT: '10s' }],
    ['an unknown exporter', { OTEL_TRACES_EXPORTER: 'jaeger' }],
    ['a zero export interval', { OTEL_METRIC_EXPORT_INTERVAL: '0' }],
    ['a blank service name', { OTEL_SERVICE_NAME: '   ' }],
    ['blank headers', { OTEL_EXPORTER_OTLP_HEADERS: '  ' }],
  ])('ignores %s, without throwing', (_, env) => {
    const l = envLayer('todo', env);
    expect(l.settings).toEqual({});
    expect(l.origin).toBeUndefined();
  });

  it('takes a tier switch that is not on/off as off, saying so (someone meant to say something)', () => {
    const lines = captureDiag();
    const l = envLayer('todo', { TODO_TELEMETRY_METRICS: 'maybe', TODO_TELEMETRY_EVENTS: 'of' });
    expect(l.settings).toEqual({ metrics: false, events: false });
    expect(lines).toEqual([
      'optel: TODO_TELEMETRY_METRICS: "maybe" is not on/off; taken as off',
      'optel: TODO_TELEMETRY_EVENTS: "of" is not on/off; taken as off',
    ]);
  });

  it('holds a timeout or export interval past what a Node timer can wait to its maximum, saying so', () => {
    // 2147483647 ms is a natural way to write "no timeout"; a timer given more fires at once.
    const lines = captureDiag();
    const l = envLayer('todo', { OTEL_EXPORTER_OTLP_TIMEOUT: '2147483647', OTEL_METRIC_EXPORT_INTERVAL: '9999999999' });
    expect(l.settings).toEqual({ timeoutMs: 600_000, metricIntervalMs: 86_400_000 });
    expect(lines).toEqual([
      'optel: OTEL_EXPORTER_OTLP_TIMEOUT: "2147483647" is over 600000; 600000 is used',
      'optel: OTEL_METRIC_EXPORT_INTERVAL: "9999999999" is over 86400000; 86400000 is used',
    ]);
  });

  it('warns through diag about an invalid value, naming the variable', () => {
    const lines = captureDiag();
    envLayer('todo', { TODO_TELEMETRY_FLUSH: 'weekly' });
    expect(lines).toEqual(['optel: TODO_TELEMETRY_FLUSH: "weekly" is not one of immediate|hourly|daily; ignored']);
  });

  it('reads only its own app’s switches', () => {
    expect(envLayer('todo', { OTHER_TELEMETRY_METRICS: 'on' }).settings).toEqual({});
    expect(envLayer('my-app', { MY_APP_TELEMETRY_METRICS: 'on' }).settings).toEqual({ metrics: true });
  });
});
