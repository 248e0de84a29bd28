import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DURATION_BUCKETS_SECONDS } from '../../src/semconv/names.js';
import { startReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { cleanEnv, counterTotal, filesUnder, runTodo, settle, tempHome, TODO_BIN, todoStateDir, toReceiver } from '../support/run-example.js';

let receiver: OtlpReceiver;
let home: string;

beforeEach(async () => {
  receiver = await startReceiver();
  home = tempHome();
});
afterEach(async () => {
  await receiver.close();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the todo CLI with default consent (metrics on)', () => {
  it('delivers a counter and a duration histogram per command, delta, over protobuf', async () => {
    const run = await runTodo(home, ['add', 'buy', 'milk'], toReceiver(receiver));
    expect(run.code).toBe(0);
    await receiver.waitFor(() => counterTotal(receiver, 'todo.cli.invoked.count') === 1);
    expect(receiver.requests.every((r) => r.contentType === 'application/x-protobuf')).toBe(true);

    const rows = receiver.metrics();
    const count = rows.find((r) => r.name === 'todo.cli.invoked.count')!;
    expect(count).toMatchObject({ unit: '{event}', kind: 'sum', temporality: 'delta', monotonic: true, description: 'A todo command ran.' });
    expect(count.points[0]!.attributes).toEqual({ 'cli.command': 'add', success: true, 'process.exit.code': 0 });

    const duration = rows.find((r) => r.name === 'todo.cli.invoked.duration')!;
    expect(duration).toMatchObject({ unit: 's', kind: 'histogram', temporality: 'delta' });
    expect(duration.points[0]!.explicitBounds).toEqual([...DURATION_BUCKETS_SECONDS]);
    expect(duration.points[0]!.count).toBe(1);

    const added = rows.find((r) => r.name === 'todo.item.added.count')!;
    expect(added.points[0]!.attributes).toEqual({ 'text.length': '0-10', 'list.size': '1-10' });
    expect(rows.some((r) => r.name.startsWith('todo.item.added.duration'))).toBe(false);
  });

  it('describes the app and installation in the resource, and nothing that names a person or machine', async () => {
    // The environment may add deployment labels, nothing else.
    await runTodo(home, ['list'], toReceiver(receiver, { OTEL_RESOURCE_ATTRIBUTES: 'host.name=alice-laptop,user.email=a@b.com,service.namespace=cli' }));
    await receiver.waitFor(() => receiver.metrics().length > 0);
    const resource = receiver.metrics()[0]!.resource;
    expect(resource).toMatchObject({
      'service.name': 'todo',
      'service.version': '1.4.2',
      'os.type': 'linux',
      'process.runtime.name': 'nodejs',
      'process.runtime.version': process.versions.node,
    });
    expect(resource['app.installation.id']).toMatch(UUID);
    expect(resource['service.namespace']).toBe('cli');
    expect(typeof resource['host.arch']).toBe('string');
    const text = JSON.stringify(receiver.requests.map((r) => r.body));
    for (const key of ['host.name', 'host.id', 'process.executable.path', 'process.command_line', 'process.command_args', 'process.owner', 'process.pid', 'user.name']) {
      expect(text).not.toContain(`"${key}"`);
    }
    expect(text).not.toContain(home);
    expect(text).not.toMatch(/alice|a@b\.com|user\.email/);
  });

  it('keeps delivering when one configured header is not valid HTTP (it is skipped)', async () => {
    await runTodo(home, ['list'], toReceiver(receiver, {
      OTEL_EXPORTER_OTLP_HEADERS: 'x-evil=a%0D%0Ab,x-team=cli,x-tier=all', OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-tier=metrics,x-bad=%0A',
    }));
    await receiver.waitFor(() => receiver.metrics().length > 0);
    expect(receiver.requests[0]!.headers).toMatchObject({ 'x-team': 'cli', 'x-tier': 'metrics' });
    expect(receiver.requests[0]!.headers['x-evil']).toBeUndefined();
    expect(receiver.requests[0]!.headers['x-bad']).toBeUndefined();
  });

  it('sends OTLP/JSON when OTEL_EXPORTER_OTLP_PROTOCOL=http/json', async () => {
    await runTodo(home, ['list'], toReceiver(receiver, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }));
    await receiver.waitFor(() => counterTotal(receiver, 'todo.cli.invoked.count') === 1);
    expect(receiver.requests.every((r) => r.contentType.startsWith('application/json'))).toBe(true);
    expect(counterTotal(receiver, 'todo.list.viewed.count', (a) => a.filter === 'all')).toBe(1);
  });

  it('records failures with the closed error class and exit code, never the message', async () => {
    const fail = await runTodo(home, ['fail'], toReceiver(receiver));
    const missing = await runTodo(home, ['done', '42'], toReceiver(receiver));
    expect(fail.code).toBe(1);
    expect(missing.code).toBe(1);
    await receiver.waitFor(() => counterTotal(receiver, 'todo.cli.invoked.count') === 2);
    const failed = (type: string) => counterTotal(receiver, 'todo.cli.invoked.count', (a) => a.success === false && a['error.type'] === type && a['process.exit.code'] === 1);
    expect(failed('SimulatedFailure')).toBe(1);
    expect(failed('TodoNotFoundError')).toBe(1);
    expect(JSON.stringify(receiver.requests.map((r) => r.body))).not.toContain('always fails');
  });

  it('shows the first-run notice once, on stderr, never on stdout', async () => {
    const first = await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'hourly' });
    const second = await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'hourly' });
    expect(first.stderr).toContain('todo collects anonymous usage counts and timings');
    expect(first.stderr).toContain('todo telemetry off');
    expect(first.stderr).toContain('DO_NOT_TRACK=1');
    expect(second.stderr).toBe('');
    expect(first.stdout).toBe('nothing to do\n');
  });

  it('says in the first-run notice when an administrator\'s policy keeps a tier on, and `todo telemetry off` only for the rest', async () => {
    const policy = join(home, 'policy.json');
    writeFileSync(policy, '{"metrics": true}');
    const run = await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'hourly', TODO_TELEMETRY_POLICY_FILE: policy, TODO_TELEMETRY_EVENTS: 'on' });
    expect(run.stderr).toContain("An administrator's policy keeps anonymous usage counts and timings on: `todo telemetry off` turns off the rest, and TODO_TELEMETRY=0 or DO_NOT_TRACK=1 turn everything off.");
    expect(run.stderr).not.toContain('Opt out with');
  });

  it('keeps stdout byte-identical with telemetry on and off', async () => {
    const script = [['add', 'a', 'b'], ['add', 'c'], ['list'], ['done', '1'], ['list', '--open'], ['fail'], ['done', '9']];
    const outputs = async (env: Record<string, string>) => {
      const h = tempHome();
      let out = '';
      for (const args of script) out += (await runTodo(h, args, env)).stdout;
      return out;
    };
    const on = await outputs(toReceiver(receiver, { TODO_TELEMETRY_EVENTS: 'on', TODO_TELEMETRY_TRACES: 'on' }));
    const off = await outputs({ DO_NOT_TRACK: '1' });
    expect(on).toBe(off);
    expect(on.length).toBeGreaterThan(0);
  });
});

describe('kill switches', () => {
  for (const [name, value] of [['DO_NOT_TRACK', '1'], ['OTEL_SDK_DISABLED', 'true'], ['TODO_TELEMETRY', '0'], ['TODO_TELEMETRY', 'off'], ['TODO_TELEMETRY', 'false']] as const) {
    it(`${name}=${value} sends nothing and creates no file`, async () => {
      const run = await runTodo(home, ['add', 'x'], toReceiver(receiver, { [name]: value, TODO_TELEMETRY_EVENTS: 'on' }));
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      await settle(1500);
      expect(receiver.requests).toHaveLength(0);
      expect(filesUnder(join(home, '.local'))).toEqual([]);
      expect(filesUnder(join(home, '.config'))).toEqual([]);
    });
  }

  it('deletes what an earlier run had spooled', async () => {
    await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'hourly' });
    expect(filesUnder(join(todoStateDir(home), 'spool')).length).toBe(1);
    await runTodo(home, ['list'], { DO_NOT_TRACK: '1' });
    expect(existsSync(join(todoStateDir(home), 'spool'))).toBe(false);
  });

  it('forgets the installation id with the lifecycle state: the next run is a new installation, reporting its first run once', async () => {
    const state = todoStateDir(home);
    await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'hourly' });
    const first = JSON.parse(readFileSync(join(state, 'installation.json'), 'utf8')).id as string;
    await runTodo(home, ['list'], { DO_NOT_TRACK: '1' });
    expect(['installation.json', 'lifecycle.json', 'spool'].filter((f) => existsSync(join(state, f)))).toEqual([]);
    await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'hourly', TODO_TELEMETRY_EVENTS: 'on' });
    const second = JSON.parse(readFileSync(join(state, 'installation.json'), 'utf8')).id as string;
    expect(second).toMatch(UUID);
    expect(second).not.toBe(first);
    const spooled = filesUnder(join(state, 'spool')).filter((f) => f.endsWith('.jsonl')).map((f) => readFileSync(join(state, 'spool', f), 'utf8')).join('');
    expect(spooled.match(/"n":"todo\.install\.first_run"/g)).toHaveLength(1);
  });

  it('never fails the command when what it must delete cannot be deleted', async () => {
    // The state directory is a file here (any error deleting would do: another user's files, a run spooling this instant).
    const state = join(home, '.local', 'state', 'todo');
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, 'telemetry'), 'not a directory');
    const run = await runTodo(home, ['list'], { DO_NOT_TRACK: '1' });
    expect([run.code, run.stdout, run.stderr]).toEqual([0, 'nothing to do\n', '']);
  });

  it('beats an admin policy that forces metrics on', async () => {
    const policy = join(home, 'policy.json');
    writeFileSync(policy, JSON.stringify({ metrics: 'on', events: 'on' }));
    await runTodo(home, ['list'], toReceiver(receiver, { TODO_TELEMETRY_POLICY_FILE: policy, DO_NOT_TRACK: '1' }));
    await settle(1500);
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('layers', () => {
  it('lets an admin policy turn metrics off over the environment', async () => {
    const policy = join(home, 'policy.json');
    writeFileSync(policy, JSON.stringify({ metrics: false }));
    await runTodo(home, ['list'], toReceiver(receiver, { TODO_TELEMETRY_POLICY_FILE: policy, TODO_TELEMETRY_METRICS: 'on' }));
    await settle(1500);
    expect(receiver.requests).toHaveLength(0);
    expect(filesUnder(todoStateDir(home))).toEqual([]);
  });

  it('ignores a hostile project file: nothing enabled, nothing redirected', async () => {
    const evil = await startReceiver();
    try {
      const repo = join(home, 'repo');
      mkdirSync(join(repo, '.todo'), { recursive: true });
      mkdirSync(join(repo, 'src', 'deep'), { recursive: true });
      writeFileSync(join(repo, '.todo', 'config.json'), JSON.stringify({
        telemetry: {
          metrics: true, events: true, traces: true, debug: false, flush: 'immediate',
          endpoint: evil.url, protocol: 'http/json', headers: { authorization: 'x' }, exporters: { metrics: 'console' },
        },
      }));
      const run = await runTodo(home, ['add', 'secret@example.com'], { TODO_TELEMETRY_FLUSH: 'immediate', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }, join(repo, 'src', 'deep'));
      expect(run.code).toBe(0);
      await receiver.waitFor(() => counterTotal(receiver, 'todo.cli.invoked.count') === 1);
      await settle(500);
      expect(evil.requests).toHaveLength(0);
      expect(receiver.logs()).toHaveLength(0);
      expect(receiver.spans()).toHaveLength(0);
      expect(receiver.requests.every((r) => r.contentType === 'application/x-protobuf' && r.headers.authorization === undefined)).toBe(true);
    } finally {
      await evil.close();
    }
  });

  it('is not held up by a project "file" that is a FIFO or /dev/zero (a cloned repository can hold either)', async () => {
    for (const [name, make] of [['fifo', (p: string) => execFileSync('mkfifo', [p])], ['zero', (p: string) => symlinkSync('/dev/zero', p)]] as const) {
      const repo = join(home, name);
      mkdirSync(join(repo, '.todo'), { recursive: true });
      make(join(repo, '.todo', 'config.json'));
      const run = await runTodo(home, ['list'], toReceiver(receiver, { TODO_TELEMETRY_FLUSH: 'hourly' }), repo);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('nothing to do\n');
    }
  });

  it('runs the command from a working directory deleted under it, with telemetry off (a project file there cannot be read)', async () => {
    const gone = join(home, 'gone');
    mkdirSync(gone);
    const run = spawnSync('/bin/sh', ['-c', 'cd "$1" && rmdir "$1" && exec "$2" "$3" list', 'sh', gone, process.execPath, TODO_BIN], { env: cleanEnv(home, toReceiver(receiver)), encoding: 'utf8' });
    expect([run.status, run.stdout, run.stderr]).toEqual([0, 'nothing to do\n', '']);
    await settle(1500);
    expect(receiver.requests).toHaveLength(0);
  });

  it('turns every tier off for a settings file that is a link to nothing, as for one it cannot read', async () => {
    const policy = join(home, 'policy.json');
    symlinkSync(join(home, 'no-such-policy.json'), policy);
    mkdirSync(join(home, 'repo', '.todo'), { recursive: true });
    symlinkSync(join(home, 'no-such-config.json'), join(home, 'repo', '.todo', 'config.json'));
    // The admin's policy outranks the environment; a project's file only the app's defaults.
    for (const [extra, cwd] of [[{ TODO_TELEMETRY_POLICY_FILE: policy, TODO_TELEMETRY_METRICS: 'on' }, home], [{}, join(home, 'repo')]] as const) {
      const status = await runTodo(home, ['telemetry', 'status'], extra, cwd);
      expect(status.stdout).toMatch(/metrics\s+off\s+\(.*a symbolic link to nothing: every tier off until it is fixed\)/);
      await runTodo(home, ['list'], toReceiver(receiver, extra), cwd);
    }
    await settle(1500);
    expect(receiver.requests).toHaveLength(0);
  });

  // Only in a private mount namespace (root, util-linux unshare) can a test put something at /etc/todo
  // without touching the machine's own /etc: a tmpfs is mounted over /etc for that one process.
  const privateEtc = spawnSync('unshare', ['-m', 'true']).status === 0;
  it.skipIf(!privateEtc)('hands the library a system policy that is a link to nothing, rather than the test hook\'s file', () => {
    const policy = join(home, 'policy.json');
    writeFileSync(policy, '{}');
    const script = 'mount -t tmpfs tmpfs /etc && mkdir /etc/todo && ln -s /nowhere /etc/todo/telemetry.json && exec "$0" "$1" telemetry status';
    const status = execFileSync('unshare', ['-m', 'sh', '-c', script, process.execPath, TODO_BIN], { env: cleanEnv(home, { TODO_TELEMETRY_POLICY_FILE: policy }), cwd: home, encoding: 'utf8' });
    expect(status).toContain('metrics  off  (admin: /etc/todo/telemetry.json (a symbolic link to nothing: every tier off until it is fixed))');
  });

  it('lets the environment turn metrics back on over a stored `telemetry off`, and delivers them', async () => {
    await runTodo(home, ['telemetry', 'off']);
    const run = await runTodo(home, ['add', 'hi'], toReceiver(receiver, { TODO_TELEMETRY_METRICS: 'on' }));
    expect(run.code).toBe(0);
    await receiver.waitFor(() => counterTotal(receiver, 'todo.cli.invoked.count') === 1);
    expect(receiver.logs()).toHaveLength(0);
    // A later run under the stored choice alone is off: it records nothing and deletes what is buffered.
    await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'hourly' });
    expect(existsSync(join(todoStateDir(home), 'spool'))).toBe(false);
  });

  it('lets a project file turn metrics off', async () => {
    mkdirSync(join(home, '.todo'));
    writeFileSync(join(home, '.todo', 'config.json'), JSON.stringify({ telemetry: { metrics: false } }));
    await runTodo(home, ['list'], toReceiver(receiver));
    await settle(1500);
    expect(receiver.requests).toHaveLength(0);
  });

  it('leaves what runs elsewhere spooled when a project file turns every tier off: that repository is off, not the user', async () => {
    const state = todoStateDir(home);
    await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'hourly' });
    const kept = ['installation.json', 'lifecycle.json', 'spool'];
    expect(kept.filter((f) => existsSync(join(state, f)))).toEqual(kept);
    const repo = join(home, 'repo');
    mkdirSync(join(repo, '.todo'), { recursive: true });
    writeFileSync(join(repo, '.todo', 'config.json'), JSON.stringify({ telemetry: false }));
    const before = filesUnder(join(state, 'spool'));
    expect((await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'hourly' }, repo)).code).toBe(0);
    // Nor does a run the environment turns off.
    await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'hourly', TODO_TELEMETRY_METRICS: 'off' });
    expect(kept.filter((f) => existsSync(join(state, f)))).toEqual(kept);
    expect(filesUnder(join(state, 'spool'))).toEqual(before);
  });

  it('`todo telemetry off events` takes the text already spooled off the disk at once, and keeps the counts', async () => {
    await runTodo(home, ['telemetry', 'on']);
    await runTodo(home, ['add', 'call', 'the', 'dentist', 'tomorrow'], { TODO_TELEMETRY_FLUSH: 'hourly' });
    const spool = join(todoStateDir(home), 'spool');
    const spooled = () => readdirSync(spool).filter((n) => n.endsWith('.jsonl')).map((n) => readFileSync(join(spool, n), 'utf8')).join('');
    expect(spooled()).toContain('dentist');
    expect((await runTodo(home, ['telemetry', 'off', 'events'])).code).toBe(0);
    expect(spooled()).not.toContain('dentist');
    expect(spooled()).toContain('"todo.item.added"');
  });

  it('`todo telemetry off` stores the choice, deletes the spool and silences later runs', async () => {
    await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'hourly' });
    const off = await runTodo(home, ['telemetry', 'off']);
    expect(off.code).toBe(0);
    expect(off.stdout).toContain('todo telemetry: off');
    expect(existsSync(join(todoStateDir(home), 'spool'))).toBe(false);
    // Which commands were used, and when, goes too: off keeps no usage.
    expect(existsSync(join(todoStateDir(home), 'lifecycle.json'))).toBe(false);
    const choice = JSON.parse(readFileSync(join(home, '.config', 'todo', 'telemetry.json'), 'utf8'));
    expect(choice).toMatchObject({ metrics: false, events: false, traces: false, source: 'command' });
    await runTodo(home, ['add', 'x'], toReceiver(receiver));
    await settle(1500);
    expect(receiver.requests).toHaveLength(0);
  });

  it('ignores relative XDG directories, as the spec says: state stays under the home, never in the working directory', async () => {
    const work = join(home, 'work');
    mkdirSync(work);
    const run = await runTodo(home, ['add', 'x'], { XDG_STATE_HOME: 'rel/state', XDG_CONFIG_HOME: 'rel/config', TODO_TELEMETRY_FLUSH: 'hourly' }, work);
    expect(run.code).toBe(0);
    expect(existsSync(join(work, 'rel'))).toBe(false);
    expect(filesUnder(join(todoStateDir(home), 'spool')).length).toBeGreaterThan(0);
  });

  it('`todo telemetry` prints a refusal on stderr, not stdout, with commander\'s exit code for usage errors', async () => {
    for (const args of [['telemetry', 'on', 'bogus'], ['telemetry', 'frob']]) {
      const run = await runTodo(home, args, { TODO_TELEMETRY_FLUSH: 'hourly' });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^error: unknown (tier 'bogus'|command 'frob')/);
    }
  });

  it('`todo telemetry off` that cannot be saved still deletes the spool, records nothing, and says so on stderr', async () => {
    await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'hourly' });
    const config = join(home, 'config-is-a-file');
    writeFileSync(config, '');
    const off = await runTodo(home, ['telemetry', 'off'], { XDG_CONFIG_HOME: config, TODO_TELEMETRY_FLUSH: 'hourly' });
    expect(off.code).toBe(1);
    expect(off.stdout).toBe('');
    expect(off.stderr).toMatch(/could not save this to .*config-is-a-file\/todo\/telemetry\.json \(ENOTDIR\): it holds for this run only/);
    expect(off.stderr).toContain('TODO_TELEMETRY=0 or DO_NOT_TRACK=1');
    expect(existsSync(join(todoStateDir(home), 'spool'))).toBe(false);
  });

  it('does not record `todo telemetry` itself: a first run that only looks at the settings leaves no trace', async () => {
    const status = await runTodo(home, ['telemetry', 'status'], toReceiver(receiver));
    expect(status.code).toBe(0);
    expect(status.stderr).toBe('');
    expect(filesUnder(todoStateDir(home))).toEqual([]);
    await runTodo(home, ['list'], toReceiver(receiver));
    await receiver.waitFor(() => counterTotal(receiver, 'todo.cli.invoked.count') === 1);
    expect(receiver.metrics().flatMap((m) => m.points.map((p) => p.attributes['cli.command']))).not.toContain('telemetry');
  });

  it('`todo telemetry status` explains which layer set each value', async () => {
    const status = await runTodo(home, ['telemetry', 'status'], { TODO_TELEMETRY_EVENTS: 'on' });
    expect(status.stdout).toMatch(/metrics\s+on\s+\(default/);
    expect(status.stdout).toMatch(/events\s+on\s+\(env: .*TODO_TELEMETRY_EVENTS/);
    expect(status.stdout).toMatch(/traces\s+off\s+\(default/);
  });
});

describe('richer tiers', () => {
  it('sends one log record per event with redacted text when events are on', async () => {
    await runTodo(home, ['add', 'mail', 'alice@example.com', 'about', '/home/alice/acme/plan.md'], toReceiver(receiver, { TODO_TELEMETRY_EVENTS: 'on' }));
    await receiver.waitFor(() => receiver.logs().length >= 2);
    const added = receiver.logs().find((l) => l.eventName === 'todo.item.added')!;
    expect(added.attributes.text).toBe('mail <email> about <path>');
    expect(added.attributes['event.name']).toBe('todo.item.added');
    const metricAttrs = receiver.metrics().flatMap((m) => m.points.map((p) => Object.keys(p.attributes))).flat();
    expect(metricAttrs).not.toContain('text');
    expect(JSON.stringify(receiver.requests.map((r) => r.body))).not.toContain('alice');
  });

  it('sends a span per command when traces are on', async () => {
    await runTodo(home, ['fail'], toReceiver(receiver, { TODO_TELEMETRY_TRACES: 'on' }));
    await receiver.waitFor(() => receiver.spans().length === 1);
    const span = receiver.spans()[0]!;
    expect(span.name).toBe('todo.cli.invoked');
    expect(span.attributes).toMatchObject({ 'cli.command': 'fail', success: false, 'error.type': 'SimulatedFailure' });
    expect(span.status?.code).toBe(2);
    expect(BigInt(span.endTimeUnixNano)).toBeGreaterThan(BigInt(span.startTimeUnixNano));
  });

  it('in debug mode prints each record to stderr and sends nothing', async () => {
    const run = await runTodo(home, ['add', 'x'], toReceiver(receiver, { TODO_TELEMETRY_DEBUG: '1' }));
    expect(run.stdout).toBe('added #1: x\n');
    expect(run.stderr).toContain('[todo telemetry] {"name":"todo.item.added"');
    expect(run.stderr).toContain('"name":"todo.cli.invoked"');
    await settle(1500);
    expect(receiver.requests).toHaveLength(0);
    expect(existsSync(join(todoStateDir(home), 'spool'))).toBe(false);
  });
});
