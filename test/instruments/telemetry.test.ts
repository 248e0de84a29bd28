import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attr, createTelemetry, defineCatalog, outcome } from '../../src/index.js';
import { collectDiag } from '../../src/diag.js';
import { appendToSpool } from '../../src/spool/append.js';
import { spoolFiles } from '../../src/spool/file-name.js';
import { parseRecordLine } from '../../src/spool/format.js';
import { readSpoolFile } from '../../src/spool/read.js';
import { startReceiver } from '../support/otlp-receiver.js';

const catalog = defineCatalog({
  app: 'demo',
  events: {
    'demo.cli.run': {
      description: 'A command ran.',
      duration: true,
      attributes: { command: attr.enum(['build', 'serve']), ...outcome(['BuildError']) },
    },
    'demo.file.read': {
      description: 'A file was read.',
      attributes: {
        size: attr.bucket([0, 1024, 1048576]),
        cached: attr.boolean(),
        retries: attr.int({ min: 0, max: 5 }),
        project: attr.hashed(),
        note: attr.text({ maxLength: 20 }),
      },
    },
  },
});

/** A client in debug mode whose stderr is captured: debug prints exactly what would be sent. */
function debugClient(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'optel-client-'));
  const lines: string[] = [];
  const telemetry = createTelemetry({
    catalog,
    version: '2.0.0',
    env: { DEMO_TELEMETRY_DEBUG: '1', DEMO_TELEMETRY_EVENTS: 'on', ...env },
    cwd: dir,
    paths: { configHome: join(dir, 'config'), stateHome: join(dir, 'state'), policyFile: join(dir, 'policy.json') },
    stderr: (text) => lines.push(text),
  });
  const records = () =>
    lines.filter((l) => l.startsWith('[demo telemetry] {')).map((l) => JSON.parse(l.slice('[demo telemetry] '.length)) as {
      name: string; attrs: Record<string, unknown>; extra?: Record<string, unknown>; duration?: number; tiers: string[];
    });
  const diag = () => lines.filter((l) => l.startsWith('[demo telemetry] optel:'));
  return { telemetry, records, diag, dir };
}

describe('track()', () => {
  it('encodes declared attributes: buckets, booleans, ints, hashed ids and redacted text', () => {
    const { telemetry, records } = debugClient();
    telemetry.track('demo.file.read', { size: 2048, cached: true, retries: 2, project: '/home/alice/acme', note: 'see bob@example.com now' });
    const [r] = records();
    expect(r!.attrs).toEqual({ size: '1024-1048576', cached: true, retries: 2 });
    expect(r!.extra!.project).toMatch(/^[0-9a-f]{32}$/);
    expect(r!.extra!.note).toBe('see <email> now');
    expect(r!.tiers).toEqual(['metrics', 'events']);
  });

  it('drops unknown events, unknown attributes, wrong types and composites with a diag line, never throwing', () => {
    const { telemetry, records, diag } = debugClient();
    const loose = telemetry.track as (name: string, attrs?: unknown, options?: unknown) => void;
    expect(() => {
      loose('demo.file.reed', { size: 1 });
      loose('demo.file.read', { size: 'big', cached: 'yes', retries: 9, extra: 1, project: { id: 1 }, note: ['a'] });
      loose('demo.file.read', 'not an object');
      loose('demo.file.read', null);
      loose('demo.cli.run', { command: 'build' }, { durationMs: -5 });
      loose('demo.file.read', {}, { durationMs: 3 });
      // Finite, but no command runs for this long, and rounding would make it Infinity.
      loose('demo.cli.run', { command: 'build' }, { durationMs: 1e308 });
    }).not.toThrow();
    const got = records();
    expect(got.map((r) => r.name)).toEqual(['demo.file.read', 'demo.file.read', 'demo.file.read', 'demo.cli.run', 'demo.file.read', 'demo.cli.run']);
    expect(got[0]!.attrs).toEqual({});
    expect(got[0]!.extra).toBeUndefined();
    expect(got[3]!.duration).toBeUndefined();
    expect(got[5]!.duration).toBeUndefined();
    const messages = diag().join('');
    for (const fragment of ['event "demo.file.reed": not in the catalog', 'attribute "size"', 'attribute "cached"', 'out of range', 'attribute "extra" of "demo.file.read" is not in the catalog', 'an object', 'an array', 'must be an object', 'not a finite non-negative number', 'the event is not timed', 'longer than a year']) {
      expect(messages).toContain(fragment);
    }
  });

  it('says when a timed event is tracked without its duration, and takes a null outcome as none', () => {
    const { telemetry, records, diag } = debugClient();
    telemetry.track('demo.cli.run', { command: 'build' });
    (telemetry.track as (n: string, a: unknown, o: unknown) => void)('demo.cli.run', { command: 'serve' }, { outcome: null, durationMs: 5 });
    expect(records().map((r) => [r.attrs.command, r.duration ?? null])).toEqual([['build', null], ['serve', 0.005]]);
    expect(diag()).toEqual([expect.stringContaining('"demo.cli.run" is timed but was tracked without durationMs: counted, with no duration or span')]);
  });

  it('leaves events-only attributes out when only metrics are on', () => {
    const { telemetry, records } = debugClient({ DEMO_TELEMETRY_EVENTS: 'off' });
    telemetry.track('demo.file.read', { cached: false, project: 'acme', note: 'x' });
    expect(records()[0]).toMatchObject({ attrs: { cached: false }, tiers: ['metrics'] });
    expect(records()[0]!.extra).toBeUndefined();
  });

  it('in debug mode also shows the problems found while reading the configuration that turned debug on', () => {
    const { diag } = debugClient({ OTEL_EXPORTER_OTLP_TIMEOUT: 'abc', OTEL_EXPORTER_OTLP_HEADERS: 'x-evil=a%0Ab' });
    const text = diag().join('\n');
    expect(text).toContain('OTEL_EXPORTER_OTLP_TIMEOUT');
    expect(text).toContain('"x-evil" has characters a header cannot carry');
  });

  it('writes nothing in debug mode, not even the installation a hashed id needs (one is made in memory)', () => {
    const { telemetry, records, dir } = debugClient();
    telemetry.track('demo.file.read', { project: '/home/alice/acme' });
    expect(records()[0]!.extra!.project).toMatch(/^[0-9a-f]{32}$/);
    expect(existsSync(join(dir, 'state'))).toBe(false);
  });

  it('records nothing and creates no file when telemetry is off', () => {
    const { telemetry, records, dir } = debugClient({ DO_NOT_TRACK: '1' });
    telemetry.track('demo.file.read', { cached: true });
    expect(records()).toEqual([]);
    expect(existsSync(join(dir, 'state'))).toBe(false);
    expect(telemetry.config.enabled).toBe(false);
  });

  it('never throws for what a JS caller can pass: symbols, throwing toString, throwing option getters, revoked proxies', () => {
    const { telemetry, records, diag } = debugClient();
    const loose = telemetry.track as (name: unknown, attrs?: unknown, options?: unknown) => void;
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const boom = () => {
      throw new Error('boom /home/alice');
    };
    expect(() => {
      loose(Symbol('x'));
      loose({ toString: boom });
      loose('demo.cli.run', { command: 'build' }, { get durationMs() { return boom(); } });
      loose('demo.cli.run', { command: 'build' }, proxy);
      loose('demo.cli.run', proxy);
    }).not.toThrow();
    expect(records()).toEqual([]);
    const messages = diag().join('\n');
    expect(messages).toContain('an event whose name is a symbol, not a string');
    expect(messages).toContain('an event whose name is an object, not a string');
    expect(messages).not.toContain('alice');
  });
});

describe('createTelemetry()', () => {
  const paths = () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-create-'));
    return { configHome: join(dir, 'c'), stateHome: join(dir, 's'), policyFile: join(dir, 'p.json') };
  };

  it('checks a catalog written as a plain object as defineCatalog would, and throws a catalog error for a broken one', () => {
    const create = (catalog: unknown) => () => createTelemetry({ catalog: catalog as never, version: '1', env: {}, paths: paths() });
    expect(create(undefined)).toThrow('optel catalog: createTelemetry needs { catalog: defineCatalog({ app, events }), version }');
    expect(create({ app: 'x', events: { 'x.a.b': { description: 'd', attributes: { n: { kind: 'int' } } } } })).toThrow(/^optel catalog: event "x\.a\.b": attribute "n"/);
    expect(create({ app: 'x', events: { 'x.a.b': { description: 'd', duraton: true } } })).toThrow('unknown key "duraton"');
  });

  it('takes options of the wrong type from a JavaScript caller as not given, with a diag line each, never throwing', () => {
    const { result, lines } = collectDiag(() => createTelemetry({
      catalog, version: '1', env: 'DO_NOT_TRACK=1' as never, cwd: 17 as never, paths: { ...paths(), configHome: 42 as never },
    }));
    expect(result.app).toBe('demo');
    expect(lines).toEqual([
      'optel: paths.configHome is not a path; the standard location is used',
      'optel: createTelemetry: env is not an object; the default is used',
      'optel: createTelemetry: cwd is not a string; the default is used',
    ]);
  });

  it('takes a version that is not a string as none, and says so; one that is no version is not sent', () => {
    const { result, lines } = collectDiag(() => createTelemetry({ catalog, version: 42 as never, env: {}, paths: paths() }));
    expect(result.version).toBe('');
    expect(lines).toEqual(['optel: createTelemetry: version is a number, not a string; no version is sent']);
    expect(collectDiag(() => createTelemetry({ catalog, version: '1.0 /home/alice', env: {}, paths: paths() })).lines)
      .toEqual(['optel: createTelemetry: version is not a version (like 1.4.2); it is not sent']);
  });

  it('keeps the traces tier opt-in only: an app default of traces on is ignored, with a diag line', () => {
    const { result, lines } = collectDiag(() => createTelemetry({ catalog, version: '1', env: {}, defaults: { traces: true as never }, paths: paths() }));
    expect(result.status().config.tiers).toEqual({ metrics: true, events: false, traces: false });
    expect(lines).toEqual(['optel: createTelemetry: defaults.traces is ignored: the traces tier is opt-in only (the user, the environment or an admin turns it on)']);
    const asked = createTelemetry({ catalog, version: '1', env: { DEMO_TELEMETRY_TRACES: 'on' }, defaults: { traces: true as never }, paths: paths() });
    expect(asked.status().config.tiers.traces).toBe(true);
  });

  it('checks the app defaults as it checks every other layer: what is not valid is left out, with a diag line, and shown by status', () => {
    // What plain JavaScript can pass: an endpoint without its scheme, a flush that does not exist, a header Node refuses.
    const defaults = { endpoint: 'telemetry.example.com', flush: 'weekly', headers: { 'bad header': 'x', ok: 'y' } } as never;
    const { result, lines } = collectDiag(() => createTelemetry({ catalog, version: '1', env: {}, defaults, paths: paths() }));
    const status = result.status();
    expect(status.config.flush).toBe('hourly');
    expect(status.config.export.endpoints.metrics).not.toContain('telemetry.example.com');
    expect(status.config.export.headers).toEqual({ ok: 'y' });
    expect(lines).toEqual([
      expect.stringContaining('defaults.endpoint: "telemetry.example.com" is not an http(s) URL'),
      expect.stringContaining('defaults.flush'),
      expect.stringContaining('defaults.headers'),
    ]);
    expect(status.problems).toEqual(lines);
    // A layer that is not an object is no defaults at all, not a crash.
    expect(createTelemetry({ catalog, version: '1', env: {}, defaults: null as never, paths: paths() }).status().config.tiers.metrics).toBe(true);
  });

  it('takes a valid plain-object catalog as if it had been defined, its drop event included', () => {
    const plain = { app: 'demo', events: { 'demo.cli.run': { description: 'A command ran.', duration: true } } };
    const telemetry = createTelemetry({ catalog: plain, version: '1', env: {}, paths: paths() });
    expect(Object.keys(telemetry.catalog.events)).toEqual(['demo.cli.run', 'demo.telemetry.dropped']);
    // One defineCatalog made is taken as it is: no second check at start-up.
    expect(createTelemetry({ catalog, version: '1', env: {}, paths: paths() }).catalog).toBe(catalog);
  });
});

describe('after shutdown()', () => {
  it('takes no record, in debug mode as in a normal run, and says so', async () => {
    const { telemetry, records, diag } = debugClient();
    await telemetry.shutdown();
    telemetry.track('demo.file.read', { cached: true });
    expect(records()).toEqual([]);
    expect(diag()).toContain('[demo telemetry] optel: dropped "demo.file.read": recorded after shutdown()\n');
  });
});

describe('measuring handlers', () => {
  it('measure() records duration and success, and returns the result untouched', () => {
    const { telemetry, records } = debugClient();
    expect(telemetry.measure('demo.cli.run', { command: 'build' }, () => 42)).toBe(42);
    expect(records()[0]).toMatchObject({ name: 'demo.cli.run', attrs: { command: 'build', success: true } });
    expect(records()[0]!.duration).toBeGreaterThanOrEqual(0);
  });

  it('wrap() records a rejection with its closed error class and rethrows it', async () => {
    const { telemetry, records } = debugClient();
    class BuildError extends Error {
      override name = 'BuildError';
    }
    const build = telemetry.wrap('demo.cli.run', { command: 'build' }, async (fail: boolean) => {
      if (fail) throw new BuildError('secret /home/alice/path');
      return 'ok';
    });
    await expect(build(false)).resolves.toBe('ok');
    await expect(build(true)).rejects.toThrow('secret /home/alice/path');
    const err = Object.assign(new Error('x'), { code: 'ENOENT' });
    await expect(telemetry.wrap('demo.cli.run', () => ({ command: 'serve' as const }), () => Promise.reject(err))()).rejects.toBe(err);
    expect(() => telemetry.measure('demo.cli.run', {}, () => { throw new (class Weird extends Error { override name = 'WeirdError'; })(); })).toThrow();
    const attrs = records().map((r) => r.attrs);
    expect(attrs).toEqual([
      { command: 'build', success: true },
      { command: 'build', success: false, 'error.type': 'BuildError' },
      { command: 'serve', success: false, 'error.type': 'ENOENT' },
      { success: false, 'error.type': '_OTHER' },
    ]);
    expect(JSON.stringify(records())).not.toContain('alice');
  });

  it('calls `then` of nothing but a real Promise: a query-builder-like thenable runs once, recorded without an outcome', async () => {
    const { telemetry, records, diag } = debugClient();
    let runs = 0;
    const query = { then: (ok: (v: number) => void, fail: (e: unknown) => void) => { runs++; return Promise.resolve(1).then(ok, fail); } };
    await expect(telemetry.wrap('demo.cli.run', { command: 'build' }, () => query)()).resolves.toBe(1);
    expect(runs).toBe(1);
    expect(records()[0]!.attrs).toEqual({ command: 'build' });
    expect(diag().join('')).toContain('returned a thenable that is not a Promise');
  });

  it('leaves the host its own error even when reading the error throws, and runs its function when the attributes callback throws', async () => {
    const { telemetry, records } = debugClient();
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    let caught: unknown;
    try {
      telemetry.measure('demo.cli.run', {}, () => { throw proxy; });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(proxy);
    const odd = { get code() { throw new Error('getter'); } };
    await expect(telemetry.measure('demo.cli.run', {}, async () => { throw odd; })).rejects.toBe(odd);
    const ran = telemetry.wrap('demo.cli.run', () => { throw new Error('bad attributes'); }, () => 'ran')();
    expect(ran).toBe('ran');
    expect(records().map((r) => r.attrs)).toEqual([
      { success: false, 'error.type': '_OTHER' },
      { success: false, 'error.type': '_OTHER' },
      { success: true },
    ]);
  });

  it('the handler decorator measures class-method command handlers with `this` intact', async () => {
    const { telemetry, records } = debugClient();
    class Commands {
      prefix = 'built';
      async build(target: string) {
        return `${this.prefix} ${target}`;
      }
    }
    // Applied as the TC39 decorator runtime would (the syntax itself is proven by the type test,
    // compiled by tsc; vitest's transformer does not lower standard decorators).
    const context = { kind: 'method', name: 'build', static: false, private: false } as ClassMethodDecoratorContext<Commands, Commands['build']>;
    Commands.prototype.build = telemetry.handler('demo.cli.run', { command: 'build' })(Commands.prototype.build, context);
    await expect(new Commands().build('app')).resolves.toBe('built app');
    expect(records()[0]).toMatchObject({ name: 'demo.cli.run', attrs: { command: 'build', success: true } });
  });
});

describe('consent at run time', () => {
  it('setConsent(false) stops recording at once and stores the choice', () => {
    const { telemetry, records } = debugClient({ DEMO_TELEMETRY_EVENTS: '' });
    telemetry.track('demo.file.read', { cached: true });
    const status = telemetry.setConsent(false);
    telemetry.track('demo.file.read', { cached: true });
    expect(records()).toHaveLength(1);
    expect(status.config.enabled).toBe(false);
    expect(status.layers.find((l) => l.name === 'user')?.settings).toMatchObject({ metrics: false, events: false, traces: false });
  });

  it('spools at exit only the tiers consent still allows: a withdrawal by another process meanwhile holds on disk too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-client-'));
    const paths = { configHome: join(dir, 'config'), stateHome: join(dir, 'state'), policyFile: join(dir, 'policy.json') };
    const spool = join(dir, 'state', 'demo', 'telemetry', 'spool');
    const spooled = () => (existsSync(spool) ? readdirSync(spool).filter((f) => f.endsWith('.jsonl')) : [])
      .flatMap((f) => readFileSync(join(spool, f), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => parseRecordLine(l)));
    const open = () => createTelemetry({ catalog, version: '2.0.0', env: {}, defaults: { events: true }, cwd: dir, paths, stderr: () => {}, history: false });
    // A long command runs while `demo telemetry off events` runs in another shell, then exits.
    const running = open();
    running.track('demo.file.read', { cached: true });
    open().setConsent({ events: false });
    void running.flush();
    expect(spooled().map((r) => r?.tiers)).toEqual([['metrics']]);
    // Then everything off: its next record is not spooled at all, and no spool file is made.
    rmSync(spool, { recursive: true, force: true });
    running.track('demo.file.read', { cached: false });
    open().setConsent(false);
    void running.flush();
    expect(existsSync(spool)).toBe(false);
  });

  it('setConsent() ignores what is not a choice, with a diag line, and writes nothing', () => {
    const { telemetry, diag, dir } = debugClient();
    const loose = telemetry.setConsent as (choice: unknown) => ReturnType<typeof telemetry.setConsent>;
    for (const choice of ['yes', { metrics: 'maybe' }, { logs: true }, null, [true]]) expect(loose(choice).config.enabled).toBe(true);
    expect(existsSync(join(dir, 'config', 'demo', 'telemetry.json'))).toBe(false);
    expect(diag().filter((l) => l.includes('setConsent: expected true, false or tiers'))).toHaveLength(5);
  });

  it('setConsent(false) still stops this process when the choice cannot be saved, and says why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-client-'));
    writeFileSync(join(dir, 'config'), 'a file where the config directory should be');
    const lines: string[] = [];
    const telemetry = createTelemetry({
      catalog, version: '2.0.0', env: { DEMO_TELEMETRY_DEBUG: '1' }, cwd: dir, stderr: (t) => lines.push(t),
      paths: { configHome: join(dir, 'config'), stateHome: join(dir, 'state'), policyFile: join(dir, 'policy.json') },
    });
    const status = telemetry.setConsent(false);
    telemetry.track('demo.file.read', { cached: true });
    expect(status.unsaved).toBe('ENOTDIR');
    expect(status.config.enabled).toBe(false);
    expect(status.layers.find((l) => l.name === 'user')?.origin).toContain('not saved: ENOTDIR');
    expect(lines.filter((l) => l.startsWith('[demo telemetry] {'))).toEqual([]);
    // An unsaved choice never turns anything on.
    expect(telemetry.setConsent({ traces: true }).config.tiers.traces).toBe(false);
  });

  it('keeps every unsaved withdrawal for the rest of the process, and deletes what earlier runs spooled', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-client-'));
    writeFileSync(join(dir, 'config'), 'a file where the config directory should be');
    const spool = join(dir, 'state', 'demo', 'telemetry', 'spool');
    mkdirSync(spool, { recursive: true });
    writeFileSync(join(spool, 'earlier.jsonl'), '');
    const telemetry = createTelemetry({
      catalog, version: '2.0.0', env: {}, defaults: { events: true }, cwd: dir, stderr: () => {},
      paths: { configHome: join(dir, 'config'), stateHome: join(dir, 'state'), policyFile: join(dir, 'policy.json') },
    });
    expect(telemetry.setConsent({ events: false }).config.tiers.events).toBe(false);
    expect(existsSync(spool)).toBe(false);
    const later = telemetry.setConsent({ metrics: false });
    expect(later.unsaved).toBe('ENOTDIR');
    expect(later.config.tiers).toEqual({ metrics: false, events: false, traces: false });
    expect(telemetry.status().config.tiers.events).toBe(false);
  });

  it('resetId() while telemetry is off forgets the id and writes no new one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-client-'));
    const paths = { configHome: join(dir, 'config'), stateHome: join(dir, 'state'), policyFile: join(dir, 'policy.json') };
    const on = createTelemetry({ catalog, version: '2.0.0', env: {}, cwd: dir, paths, stderr: () => {} });
    on.resetId();
    const file = join(dir, 'state', 'demo', 'telemetry', 'installation.json');
    expect(existsSync(file)).toBe(true);
    const off = createTelemetry({ catalog, version: '2.0.0', env: { DO_NOT_TRACK: '1' }, cwd: dir, paths, stderr: () => {} });
    expect(off.resetId()).toBeUndefined();
    expect(existsSync(file)).toBe(false);
  });

  it('resetId() replaces the installation id, so hashed ids change too', () => {
    const { telemetry, records } = debugClient();
    telemetry.track('demo.file.read', { project: 'acme' });
    const before = telemetry.status().installationId;
    const after = telemetry.resetId();
    telemetry.track('demo.file.read', { project: 'acme' });
    expect(after).not.toBe(before);
    const [a, b] = records().map((r) => r.extra!.project);
    expect(a).not.toBe(b);
  });
});

describe('daemon mode', () => {
  it("re-queues what its spool pump failed to deliver under the app's spool cap, not the default 4 MiB", async () => {
    const r = await startReceiver({ status: 503 });
    const dir = mkdtempSync(join(tmpdir(), 'optel-daemon-'));
    const spool = join(dir, 'state', 'demo', 'telemetry', 'spool');
    const cap = 32 * 1024 * 1024;
    // ≈ 5 MiB spooled by the app's CLI runs (1 KiB records), within its 32 MiB cap.
    const pad = 'x'.repeat(1000);
    for (let f = 0; f < 5; f++) {
      const at = Date.now() - 10_000 + f;
      const records = Array.from({ length: 1000 }, () => ({ name: 'demo.cli.run', time: at, attrs: { pad }, tiers: ['metrics' as const] }));
      appendToSpool(spool, { optel: 1, app: 'demo', version: '2.0.0', installationId: 'i', at }, records, cap);
    }
    const telemetry = createTelemetry({
      catalog,
      version: '2.0.0',
      mode: 'daemon',
      notice: false,
      history: false,
      spoolCapBytes: cap,
      env: { DEMO_TELEMETRY_FLUSH: 'immediate', OTEL_EXPORTER_OTLP_ENDPOINT: r.url, OTEL_EXPORTER_OTLP_TIMEOUT: '1000' },
      cwd: dir,
      paths: { configHome: join(dir, 'config'), stateHome: join(dir, 'state'), policyFile: join(dir, 'policy.json') },
    });
    try {
      for (let i = 0; i < 400 && !existsSync(join(spool, '.backoff.json')); i++) await new Promise((done) => setTimeout(done, 50));
      for (let i = 0; i < 400 && existsSync(join(spool, '.sender.lock')); i++) await new Promise((done) => setTimeout(done, 50));
      const records = spoolFiles(readdirSync(spool)).flatMap((f) => readSpoolFile(spool, f).records);
      expect(records.filter((x) => x.name === 'demo.telemetry.dropped')).toEqual([]);
      expect(records.length).toBe(5000);
    } finally {
      await telemetry.shutdown();
      await r.close();
    }
  }, 30_000);
});

describe('daemon mode with a state directory it cannot write', () => {
  it('sends with an installation id of its own, never throwing into the host', async () => {
    const r = await startReceiver();
    const dir = mkdtempSync(join(tmpdir(), 'optel-daemon-ro-'));
    // A file where the state directory would be: ENOTDIR even for root, as EACCES is for a read-only home.
    writeFileSync(join(dir, 'state'), '');
    try {
      const { result: telemetry, lines } = collectDiag(() => createTelemetry({
        catalog,
        version: '2.0.0',
        mode: 'daemon',
        history: false,
        stderr: () => {},
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: r.url },
        cwd: dir,
        paths: { configHome: join(dir, 'config'), stateHome: join(dir, 'state'), policyFile: join(dir, 'policy.json') },
      }));
      expect(lines.join('\n')).toMatch(/could not keep an installation id \(ENOTDIR\)/);
      telemetry.track('demo.cli.run', { command: 'build' }, { durationMs: 5 });
      await telemetry.shutdown();
      const rows = r.metrics();
      expect(rows.map((m) => m.name)).toContain('demo.cli.run.count');
      expect(rows[0]!.resource['app.installation.id']).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await r.close();
    }
  }, 30_000);
});
