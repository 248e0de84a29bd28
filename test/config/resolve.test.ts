import { describe, expect, it } from 'vitest';
import { envLayer } from '../../src/config/env-layer.js';
import { parseSettings } from '../../src/config/file-layer.js';
import { deliverableTiers, overrideOf, PRECEDENCE, resolveConfig, type ResolvedConfig } from '../../src/config/resolve.js';
import type { Layer, LayerName, Settings } from '../../src/config/settings.js';

const layer = (name: LayerName, settings: Settings, origin?: string): Layer => (origin ? { name, settings, origin } : { name, settings });
const DEFAULTS: Settings = { metrics: true, events: false, traces: false, endpoint: 'https://telemetry.example.com' };
const def = (s: Settings = DEFAULTS) => layer('default', s, 'app defaults');

/** Everything about a resolved configuration except the explanation of how it came about. */
const effect = (c: ResolvedConfig) => ({ tiers: c.tiers, enabled: c.enabled, flush: c.flush, debug: c.debug, export: c.export, killedBy: c.killedBy });
const explained = (c: ResolvedConfig, setting: string) => c.explain.find((e) => e.setting === setting)!;

describe('resolveConfig precedence (kill switch > admin > env > user > project (only off) > defaults)', () => {
  type Row = [
    story: string,
    layers: Partial<Record<'admin' | 'env' | 'user' | 'project' | 'default', boolean>>,
    kill: string | undefined,
    expected: boolean,
    source: LayerName,
  ];
  const rows: Row[] = [
    ['the default alone decides when nobody else speaks', { default: true }, undefined, true, 'default'],
    ['a default off stays off', { default: false }, undefined, false, 'default'],
    ['nothing at all means off', {}, undefined, false, 'default'],
    ['a project may turn a default on off', { project: false, default: true }, undefined, false, 'project'],
    ['a project may not turn a default off on', { project: true, default: false }, undefined, false, 'default'],
    ['a project may not turn on what nobody set', { project: true }, undefined, false, 'default'],
    ['a user’s explicit on beats a project’s off', { user: true, project: false, default: false }, undefined, true, 'user'],
    ['a user’s off beats the default', { user: false, default: true }, undefined, false, 'user'],
    ['a user’s on beats the default', { user: true, default: false }, undefined, true, 'user'],
    ['the environment’s on beats the user’s off', { env: true, user: false }, undefined, true, 'env'],
    ['the environment’s off beats the user’s on', { env: false, user: true, default: true }, undefined, false, 'env'],
    ['the admin’s off beats the environment’s on', { admin: false, env: true, user: true, default: true }, undefined, false, 'admin'],
    ['the admin’s on (a lock) beats the environment’s off', { admin: true, env: false, user: false }, undefined, true, 'admin'],
    ['a kill switch beats an admin’s on', { admin: true, env: true, user: true, default: true }, 'DO_NOT_TRACK', false, 'admin'],
    ['a kill switch beats the default', { default: true }, 'OTEL_SDK_DISABLED', false, 'default'],
  ];

  it.each(rows)('%s', (_, said, kill, expected, source) => {
    const layers: Layer[] = [];
    for (const name of ['admin', 'env', 'user', 'project', 'default'] as const) {
      const v = said[name];
      if (v !== undefined) layers.push(layer(name, { metrics: v, events: v, traces: v }, `${name}-origin`));
    }
    const c = resolveConfig(layers, kill);
    expect(c.tiers).toEqual({ metrics: expected, events: expected, traces: expected });
    expect(c.enabled).toBe(expected);
    expect(c.killedBy).toBe(kill);
    // Which layer's consent won (a kill switch then overrides the result, and says so first).
    expect(explained(c, 'metrics').source).toBe(source);
    if (kill) expect(c.explain[0]).toEqual({ setting: 'telemetry', value: 'off', source: 'kill-switch', origin: kill, overridden: [] });
  });

  it('does not depend on the order the layers are given in', () => {
    const layers = [
      layer('default', { metrics: true, flush: 'daily' }),
      layer('project', { metrics: false }),
      layer('user', { events: true, flush: 'immediate' }),
      layer('env', { events: false }),
      layer('admin', { traces: false }),
    ];
    const a = resolveConfig(layers);
    const b = resolveConfig([...layers].reverse());
    expect(effect(a)).toEqual(effect(b));
    expect(a.tiers).toEqual({ metrics: false, events: false, traces: false });
    expect(a.flush).toBe('immediate');
  });

  it('orders layers as documented', () => {
    expect(PRECEDENCE).toEqual(['kill-switch', 'admin', 'env', 'user', 'project', 'default']);
  });

  it('decides each tier independently', () => {
    const c = resolveConfig([
      layer('env', { traces: true }),
      layer('user', { events: true }),
      layer('project', { metrics: false }),
      def(),
    ]);
    expect(c.tiers).toEqual({ metrics: false, events: true, traces: true });
    expect([explained(c, 'metrics').source, explained(c, 'events').source, explained(c, 'traces').source]).toEqual(['project', 'user', 'env']);
  });

  it('lists what lower layers said under the winner', () => {
    const c = resolveConfig([layer('env', { metrics: false }, 'TODO_TELEMETRY_METRICS'), layer('user', { metrics: true }), def()]);
    expect(explained(c, 'metrics')).toEqual({
      setting: 'metrics',
      value: 'off',
      source: 'env',
      origin: 'TODO_TELEMETRY_METRICS',
      overridden: [{ source: 'user', value: 'on' }, { source: 'default', value: 'on' }],
    });
  });

  it('credits each value to the variables that set it, not to every variable of the environment', () => {
    const env = envLayer('todo', { TODO_TELEMETRY_EVENTS: 'on', TODO_TELEMETRY_FLUSH: 'daily', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://127.0.0.1:8' });
    const c = resolveConfig([env, def()]);
    expect(explained(c, 'events').origin).toBe('TODO_TELEMETRY_EVENTS');
    expect(explained(c, 'flush').origin).toBe('TODO_TELEMETRY_FLUSH');
    expect(explained(c, 'endpoint.metrics').origin).toBe('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(explained(c, 'endpoint.logs').origin).toBe('OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT');
  });

  it('applies the same order to non-tier settings', () => {
    const c = resolveConfig([
      layer('admin', { endpoint: 'https://admin.example.com' }),
      layer('env', { endpoint: 'https://env.example.com', flush: 'daily' }),
      layer('user', { flush: 'immediate', protocol: 'http/json' }),
      def(),
    ]);
    expect(c.export.endpoints.metrics).toBe('https://admin.example.com/v1/metrics');
    expect(c.flush).toBe('daily');
    expect(c.export.protocol).toBe('http/json');
  });
});

describe('resolveConfig defaults', () => {
  it('falls back to documented values when no layer speaks', () => {
    const c = resolveConfig([]);
    expect(effect(c)).toEqual({
      tiers: { metrics: false, events: false, traces: false },
      enabled: false,
      flush: 'hourly',
      debug: false,
      killedBy: undefined,
      export: {
        endpoints: {
          metrics: 'http://localhost:4318/v1/metrics',
          logs: 'http://localhost:4318/v1/logs',
          traces: 'http://localhost:4318/v1/traces',
        },
        headers: {},
        signalHeaders: { metrics: {}, logs: {}, traces: {} },
        protocol: 'http/protobuf',
        timeoutMs: 10_000,
        exporters: { metrics: 'otlp', logs: 'otlp', traces: 'otlp' },
        serviceName: undefined,
        resourceAttributes: {},
        metricIntervalMs: 60_000,
      },
    });
  });
});

describe('a hostile project layer', () => {
  const hostile = parseSettings(
    {
      enabled: true,
      metrics: true,
      events: true,
      traces: true,
      endpoint: 'https://evil.example.com',
      headers: { authorization: 'Bearer stolen' },
      protocol: 'http/json',
      exporters: { metrics: 'console', logs: 'console', traces: 'console' },
      flush: 'immediate',
      debug: true,
      timeoutMs: 1,
    },
    '/repo/.todo/config.json',
  ).settings;

  it('is parsed in full (so the test really offers every field)', () => {
    expect(Object.keys(hostile).sort()).toEqual(
      ['debug', 'endpoint', 'events', 'exporters', 'flush', 'headers', 'metrics', 'protocol', 'timeoutMs', 'traces'],
    );
  });

  it.each<[string, Settings]>([
    ['defaults that record nothing', { metrics: false, events: false, traces: false }],
    ['defaults with metrics on', DEFAULTS],
    ['no defaults at all', {}],
  ])('changes nothing over %s', (_, defaults) => {
    const without = resolveConfig([def(defaults)]);
    const withIt = resolveConfig([layer('project', hostile, '/repo/.todo/config.json'), def(defaults)]);
    expect(effect(withIt)).toEqual(effect(without));
  });

  it('changes nothing under a user who turned everything on either', () => {
    const user = layer('user', { metrics: true, events: true, traces: true });
    const without = resolveConfig([user, def()]);
    const withIt = resolveConfig([user, layer('project', hostile), def()]);
    expect(effect(withIt)).toEqual(effect(without));
  });

  it('shows up as ignored in explain, for every field it tried', () => {
    const c = resolveConfig([layer('project', hostile, '/repo/.todo/config.json'), def({ metrics: false })]);
    const ignored = c.explain.flatMap((e) => e.overridden.filter((o) => o.source === 'project').map((o) => ({ setting: e.setting, ...o })));
    const note = 'ignored: a project may only turn tiers off';
    expect(ignored.every((o) => o.note === note)).toBe(true);
    expect(ignored.map((o) => o.setting).sort()).toEqual(
      [
        'debug', 'endpoint.logs', 'endpoint.metrics', 'endpoint.traces', 'events', 'exporter.logs', 'exporter.metrics',
        'exporter.traces', 'flush', 'headers', 'metrics', 'protocol', 'timeoutMs', 'traces',
      ].sort(),
    );
    // A header's value is never echoed: only its name.
    expect(JSON.stringify(c.explain)).not.toContain('stolen');
    expect(explained(c, 'metrics').source).toBe('default');
  });

  it('can still turn tiers off, including with enabled: false', () => {
    const off = parseSettings({ enabled: false }, 'project').settings;
    const c = resolveConfig([layer('project', off), def({ metrics: true, events: true, traces: true })]);
    expect(c.tiers).toEqual({ metrics: false, events: false, traces: false });
  });
});

describe('exporters', () => {
  it.each([
    ['metrics', 'metrics'],
    ['logs', 'events'],
    ['traces', 'traces'],
  ] as const)('an exporter "none" for %s turns the %s tier off despite consent', (signal, tier) => {
    const c = resolveConfig([layer('env', { exporters: { [signal]: 'none' } }), def({ metrics: true, events: true, traces: true })]);
    expect(c.tiers[tier]).toBe(false);
    expect(c.export.exporters[signal]).toBe('none');
    expect(Object.values(c.tiers).filter(Boolean)).toHaveLength(2);
  });

  it('a console exporter keeps the tier on', () => {
    const c = resolveConfig([layer('user', { exporters: { metrics: 'console' } }), def()]);
    expect(c.tiers.metrics).toBe(true);
    expect(c.export.exporters).toEqual({ metrics: 'console', logs: 'otlp', traces: 'otlp' });
  });

  it('all three "none" means telemetry is not enabled', () => {
    const c = resolveConfig([layer('env', { exporters: { metrics: 'none', logs: 'none', traces: 'none' } }), def({ metrics: true, events: true, traces: true })]);
    expect(c.enabled).toBe(false);
  });
});

describe('endpoints', () => {
  it.each([
    ['a bare base endpoint', 'https://collector.example.com', 'https://collector.example.com/v1/metrics'],
    ['a base endpoint with a trailing slash', 'https://collector.example.com/', 'https://collector.example.com/v1/metrics'],
    ['a base endpoint with a path', 'https://example.com/otlp', 'https://example.com/otlp/v1/metrics'],
    ['a base endpoint with a path and a trailing slash', 'https://example.com/otlp/', 'https://example.com/otlp/v1/metrics'],
    ['a base endpoint with a port', 'http://127.0.0.1:4318', 'http://127.0.0.1:4318/v1/metrics'],
  ])('appends /v1/<signal> to %s', (_, endpoint, metrics) => {
    const c = resolveConfig([layer('env', { endpoint })]);
    expect(c.export.endpoints.metrics).toBe(metrics);
    expect(c.export.endpoints.logs).toBe(metrics.replace(/metrics$/, 'logs'));
    expect(c.export.endpoints.traces).toBe(metrics.replace(/metrics$/, 'traces'));
  });

  it('uses a signal endpoint as given, ahead of the base endpoint of the same layer', () => {
    const c = resolveConfig([
      layer('env', { endpoint: 'https://base.example.com/', signalEndpoints: { logs: 'https://logs.example.com/custom' } }),
    ]);
    expect(c.export.endpoints).toEqual({
      metrics: 'https://base.example.com/v1/metrics',
      logs: 'https://logs.example.com/custom',
      traces: 'https://base.example.com/v1/traces',
    });
  });

  it('lets a higher layer’s base endpoint beat a lower layer’s signal endpoint', () => {
    const c = resolveConfig([
      layer('env', { endpoint: 'https://env.example.com' }),
      layer('user', { signalEndpoints: { metrics: 'https://user.example.com/m' } }),
    ]);
    expect(c.export.endpoints.metrics).toBe('https://env.example.com/v1/metrics');
  });

  it('takes the app author’s endpoint by default', () => {
    expect(resolveConfig([def()]).export.endpoints.traces).toBe('https://telemetry.example.com/v1/traces');
  });

  it('resolves the standard variables through the env layer end to end', () => {
    const env = envLayer('todo', {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/v1/spans',
    });
    const c = resolveConfig([env, def()]);
    expect(c.export.endpoints).toEqual({
      metrics: 'https://otel.example.com/v1/metrics',
      logs: 'https://otel.example.com/v1/logs',
      traces: 'https://traces.example.com/v1/spans',
    });
    expect(explained(c, 'endpoint.traces')).toMatchObject({ source: 'env' });
  });
});

describe('per-signal headers', () => {
  it('apply from the layer that chose the endpoint (or above), and never go to an admin\'s collector or replace its headers', () => {
    const env = layer('env', { signalHeaders: { metrics: { authorization: 'user-token' } } });
    expect(resolveConfig([env, def()]).export.signalHeaders.metrics).toEqual({ authorization: 'user-token' });
    const admin = layer('admin', { endpoint: 'https://admin.example.com', headers: { authorization: 'admin-token' } });
    const c = resolveConfig([admin, env, def()]);
    expect(c.export.signalHeaders.metrics).toEqual({});
    expect(c.export.headers).toEqual({ authorization: 'admin-token' });
  });
});

describe('the service name', () => {
  it('is redacted and capped like every resource value (OTEL_SERVICE_NAME is global: users set it for their own services)', () => {
    const env = envLayer('todo', { OTEL_SERVICE_NAME: 'alice@corp.example.com /home/alice/secret-project' });
    expect(resolveConfig([env, def()]).export.serviceName).toBe('<email> <path>');
    const long = envLayer('todo', { OTEL_SERVICE_NAME: `svc-${'x'.repeat(600)}` });
    expect(resolveConfig([long, def()]).export.serviceName).toHaveLength(128);
    expect(resolveConfig([envLayer('todo', { OTEL_SERVICE_NAME: 'todo-dev' }), def()]).export.serviceName).toBe('todo-dev');
  });
});

describe('deliverableTiers and overrideOf (what a sender may still deliver)', () => {
  const user = (settings: Settings, stamp?: number): Layer => ({ name: 'user', settings, stamp });
  const admin = (settings: Settings): Layer => ({ name: 'admin', settings });
  const env = (settings: Settings): Layer => ({ name: 'env', settings });

  it('lifts a user\'s "off" the recording run\'s environment overrode, only while that choice is unchanged', () => {
    const recorded = [env({ events: true }), user({ events: false }, 1000)];
    const override = overrideOf(recorded, { metrics: true, events: true, traces: false });
    expect(override).toEqual({ tiers: ['events'], choiceAt: 1000 });
    expect(deliverableTiers([user({ events: false }, 1000)], undefined)(override).events).toBe(true);
    // Stored again since (`telemetry off events` once more): a withdrawal after the records.
    expect(deliverableTiers([user({ events: false }, 2000)], undefined)(override).events).toBe(false);
    // Without the override the stored "off" holds.
    expect(deliverableTiers([user({ events: false }, 1000)], undefined)().events).toBe(false);
  });

  it('never lifts an admin\'s "off", nor a choice this process could not save, nor a kill switch', () => {
    const override = { tiers: ['events', 'metrics'] as const, choiceAt: 1000 };
    expect(deliverableTiers([admin({ events: false }), user({ events: false }, 1000)], undefined)(override)).toEqual({ metrics: true, events: false, traces: true });
    const unsaved: Layer = { name: 'user', settings: { events: false } };
    expect(deliverableTiers([unsaved, user({ events: false }, 1000)], undefined)(override).events).toBe(false);
    expect(deliverableTiers([user({}, 1000)], 'DO_NOT_TRACK')(override)).toEqual({ metrics: false, events: false, traces: false });
  });

  it('finds no override where nothing was recorded against a stored "off"', () => {
    expect(overrideOf([user({ events: false }, 1000)], { metrics: true, events: false, traces: false })).toBeUndefined();
    expect(overrideOf([env({ events: true })], { metrics: true, events: true, traces: false })).toBeUndefined();
  });
});
