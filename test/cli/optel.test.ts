import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/cli/load-catalog.js';
import { startReceiver } from '../support/otlp-receiver.js';
import { ROOT, runNode, runTodo, tempHome, todoStateDir } from '../support/run-example.js';

const OPTEL = join(ROOT, 'dist', 'cli', 'main.js');
const CATALOG = join(ROOT, 'examples', 'todo', 'catalog.mjs');
const optel = (args: string[], env: Record<string, string> = {}) =>
  runNode(OPTEL, args, { env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env }, cwd: ROOT });

describe('optel docs', () => {
  it('keeps the example TELEMETRY.md in step with its catalog (regenerate with `optel docs`)', async () => {
    const run = await optel(['docs', CATALOG]);
    expect(run.code).toBe(0);
    expect(readFileSync(join(ROOT, 'examples', 'todo', 'TELEMETRY.md'), 'utf8')).toBe(run.stdout);
  });

  it('documents every event, attribute, tier, opt-out switch and the retention', async () => {
    const { stdout } = await optel(['docs', CATALOG]);
    for (const text of ['`todo.cli.invoked`', '`todo.item.added.count`', '`todo.cli.invoked.duration`', '`cli.command`', '`item.id`',
      'hashed id', 'TODO_TELEMETRY=0', 'DO_NOT_TRACK=1', 'OTEL_SDK_DISABLED=true', 'TODO_TELEMETRY_EVENTS=off', '/etc/todo/telemetry.json',
      '.todo/config.json', 'Never collected', 'Raw events are kept for 30 days', '`app.installation.id`', '`todo.telemetry.dropped`']) {
      expect(stdout).toContain(text);
    }
  });

  it('fails with one clear line for a module that is not a catalog', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    writeFileSync(join(dir, 'not-a-catalog.mjs'), 'export const x = 1;\n');
    const run = await optel(['docs', join(dir, 'not-a-catalog.mjs')]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^optel: .*no `catalog` or default export/);
    const missing = await optel(['docs', join(dir, 'missing.mjs')]);
    expect(missing.stderr).toMatch(/^optel: cannot load /);
  });

  it('checks a hand-written catalog object as defineCatalog would, with a one-line reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    writeFileSync(join(dir, 'plain.mjs'), "export const catalog = { app: 'plain', events: { 'plain.cli.ran': { description: 'd', attributes: { a: { kind: 'weird' } } } } };\n");
    const run = await optel(['docs', join(dir, 'plain.mjs')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^optel: .*plain\.mjs is not a valid catalog: event "plain\.cli\.ran": attribute "a": not an attribute definition[^\n]*\n$/);
  });

  it('names the module, not "optel catalog" twice, when its own defineCatalog() refuses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    const module = join(dir, 'badcat.mjs');
    writeFileSync(module, `import { defineCatalog } from ${JSON.stringify(join(ROOT, 'dist', 'bundle', 'index.js'))};\nexport const catalog = defineCatalog({ app: 'bad', events: { 'bad.cli.ran': {} } });\n`);
    const run = await optel(['docs', module]);
    expect([run.code, run.stderr]).toEqual([1, `optel: ${module} is not a valid catalog: event "bad.cli.ran" needs a description\n`]);
  });

  it('says what to pass instead of an empty path, a directory or a TypeScript source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    const empty = await optel(['docs', '']);
    expect([empty.code, empty.stderr]).toEqual([1, 'optel: no catalog module given: pass the path of its .js or .mjs file\n']);
    const directory = await optel(['docs', dir]);
    expect([directory.code, directory.stderr]).toEqual([1, `optel: ${dir} is a directory: pass the path of the catalog module's .js or .mjs file\n`]);
    writeFileSync(join(dir, 'catalog.ts'), 'export const catalog = {};\n');
    const ts = await optel(['docs', join(dir, 'catalog.ts')]);
    expect(ts.code).toBe(1);
    expect(ts.stderr).toBe(`optel: cannot load ${join(dir, 'catalog.ts')}: Node cannot import TypeScript here: build the catalog and pass the compiled .js\n`);
  });

  it('refuses defaults the app could not have: an unknown flush window, a tier default that is not a boolean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    const catalog = "export const catalog = { app: 'x', events: { 'x.a.b': { description: 'd' } } };\n";
    writeFileSync(join(dir, 'weekly.mjs'), `${catalog}export const defaults = { flush: 'weekly' };\n`);
    writeFileSync(join(dir, 'yes.mjs'), `${catalog}export const defaults = { events: 'yes' };\n`);
    const weekly = await optel(['docs', join(dir, 'weekly.mjs')]);
    expect([weekly.code, weekly.stdout, weekly.stderr]).toEqual([1, '', `optel: ${join(dir, 'weekly.mjs')}: defaults.flush must be one of immediate, hourly, daily\n`]);
    const yes = await optel(['docs', join(dir, 'yes.mjs')]);
    expect([yes.code, yes.stderr]).toEqual([1, `optel: ${join(dir, 'yes.mjs')}: defaults.events must be true or false\n`]);
  });

  it('gives a hand-written catalog what defineCatalog adds (its dropped-records event)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    writeFileSync(join(dir, 'plain.mjs'), "export const catalog = { app: 'plain', events: { 'plain.cli.ran': { description: 'd' } } };\n");
    const { catalog } = await loadCatalog(join(dir, 'plain.mjs'));
    expect(Object.keys(catalog.events)).toEqual(['plain.cli.ran', 'plain.telemetry.dropped']);
  });

  it('names what a module threw even when it is not an Error, and gives up on one that never finishes loading', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    writeFileSync(join(dir, 'throws-string.mjs'), 'throw "x";\n');
    writeFileSync(join(dir, 'throws-null.mjs'), 'throw null;\n');
    // Never settles, and leaves a timer running that would keep a process alive.
    writeFileSync(join(dir, 'never.mjs'), 'setInterval(() => {}, 1000);\nawait new Promise(() => {});\nexport const catalog = 1;\n');
    const text = await optel(['docs', join(dir, 'throws-string.mjs')]);
    expect([text.code, text.stderr]).toEqual([1, `optel: cannot load ${join(dir, 'throws-string.mjs')}: it threw "x"\n`]);
    expect((await optel(['docs', join(dir, 'throws-null.mjs')])).stderr).toBe(`optel: cannot load ${join(dir, 'throws-null.mjs')}: it threw null\n`);
    const [never, gateway] = await Promise.all([
      optel(['collector-config', join(dir, 'never.mjs')]),
      optel(['gateway', '--catalog', join(dir, 'never.mjs'), '--upstream', 'http://127.0.0.1:9', '--port', '0']),
    ]);
    expect(never.code).toBe(1);
    expect(never.stdout).toBe('');
    expect(never.stderr).toMatch(/^optel: cannot load .*never\.mjs: it did not finish loading within 5 s/);
    expect(gateway.code).toBe(1);
    expect(gateway.stderr).toMatch(/^optel gateway: cannot load .*never\.mjs: it did not finish loading within 5 s/);
  }, 20_000);
});

describe('a catalog module that does more than declare', () => {
  const CATALOG_LINE = "export const catalog = { app: 'x', events: { 'x.a.b': { description: 'd' } } };\n";

  it('names the module when reading its export throws (a getter, a Proxy trap)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    writeFileSync(join(dir, 'getter.mjs'), 'export const catalog = { get app() { throw "x"; }, events: {} };\n');
    writeFileSync(join(dir, 'proxy.mjs'), "export const catalog = new Proxy({}, { get() { throw new Error('trap'); } });\n");
    const getter = await optel(['docs', join(dir, 'getter.mjs')]);
    expect([getter.code, getter.stdout, getter.stderr]).toEqual([1, '', `optel: cannot load ${join(dir, 'getter.mjs')}: it threw "x"\n`]);
    const proxy = await optel(['docs', join(dir, 'proxy.mjs')]);
    expect([proxy.code, proxy.stdout, proxy.stderr]).toEqual([1, '', `optel: cannot load ${join(dir, 'proxy.mjs')}: trap\n`]);
  });

  it('reads a CommonJS catalog (module.exports = { catalog }), its defaults too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    writeFileSync(join(dir, 'catalog.cjs'), "module.exports = { catalog: { app: 'cjs', events: { 'cjs.cli.ran': { description: 'd' } } }, defaults: { flush: 'weekly' } };\n");
    const run = await optel(['docs', join(dir, 'catalog.cjs')]);
    expect([run.code, run.stderr]).toEqual([1, `optel: ${join(dir, 'catalog.cjs')}: defaults.flush must be one of immediate, hourly, daily\n`]);
    writeFileSync(join(dir, 'catalog.cjs'), "module.exports = { catalog: { app: 'cjs', events: { 'cjs.cli.ran': { description: 'd' } } } };\n");
    const ok = await optel(['docs', join(dir, 'catalog.cjs')]);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toContain('`cjs.cli.ran`');
  });

  it.each(['docs', 'dashboards', 'collector-config'])('optel %s exits once its output is written, whatever timer the module left running', async (command) => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    writeFileSync(join(dir, 'plain.mjs'), CATALOG_LINE);
    writeFileSync(join(dir, 'timer.mjs'), `setInterval(() => {}, 1000);\n${CATALOG_LINE}`);
    const [plain, timer] = await Promise.all([optel([command, join(dir, 'plain.mjs')]), optel([command, join(dir, 'timer.mjs')])]);
    expect([timer.code, timer.stderr]).toEqual([0, '']);
    expect(timer.stdout).toBe(plain.stdout);
  }, 15_000);

  it('hands a slow reader the whole output before exiting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    // Enough events that the output overflows a pipe's buffer while nobody reads.
    const events = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`x.a.e${i}`, { description: 'An event described at some length.' }]));
    writeFileSync(join(dir, 'big.mjs'), `setInterval(() => {}, 1000);\nexport const catalog = ${JSON.stringify({ app: 'x', events })};\n`);
    // The same, with timers that call process.exit() (and write on) or throw once the module is loaded, while the output waits for its reader.
    const late = {
      'big-exits.mjs': "setTimeout(() => { process.exit(0); process.stdout.write('MODULE-AFTER-EXIT'); }, 100);",
      'big-interval.mjs': 'setInterval(() => process.exit(0), 20);',
      'big-throws.mjs': "setTimeout(() => { throw new Error('late boom'); }, 100);",
    };
    for (const [name, timer] of Object.entries(late)) writeFileSync(join(dir, name), `${timer}\nexport const catalog = ${JSON.stringify({ app: 'x', events })};\n`);
    const expected = (await optel(['docs', join(dir, 'big.mjs')])).stdout;
    expect(expected.length).toBeGreaterThan(256 * 1024);
    for (const [name, code, stderr] of [
      ['big.mjs', 0, ''],
      ['big-exits.mjs', 1, 'optel: the catalog module called process.exit() after it was loaded; ignored\n'],
      ['big-interval.mjs', 1, 'optel: the catalog module called process.exit() after it was loaded; ignored\n'],
      ['big-throws.mjs', 1, 'optel: the catalog module threw (late boom) after it was loaded; ignored\n'],
    ] as const) {
      const child = spawn(process.execPath, [OPTEL, 'docs', join(dir, name)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.pause();
      await new Promise((resolve) => setTimeout(resolve, 500));
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d));
      child.stderr.on('data', (d: Buffer) => (err += d));
      child.stdout.resume();
      expect(await new Promise((resolve) => child.once('close', resolve))).toBe(code);
      expect(out).toBe(expected);
      expect(err).toBe(stderr);
    }
  }, 15_000);

  it('fails with one line, not exit 0 and nothing written, when the module calls process.exit while it is imported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    // At the top level, and from a timer the module awaits.
    writeFileSync(join(dir, 'exits.mjs'), `process.exit(0);\n${CATALOG_LINE}`);
    writeFileSync(join(dir, 'exits-later.mjs'), `await new Promise((r) => setTimeout(() => { process.exit(0); r(); }, 10));\n${CATALOG_LINE}`);
    // And a throw of something with no string form.
    writeFileSync(join(dir, 'throws-later.mjs'), `setTimeout(() => { throw Object.create(null); }, 10);\nawait new Promise((r) => setTimeout(r, 200));\n${CATALOG_LINE}`);
    // Through a chain of promise callbacks that ends as the import does: one line either way, never exit 0 with nothing written.
    writeFileSync(join(dir, 'chain.mjs'), `let p = Promise.resolve();\nfor (let i = 0; i < 6; i++) p = p.then(() => {});\np.then(() => process.exit(0));\n${CATALOG_LINE}`);
    const chain = await optel(['docs', join(dir, 'chain.mjs')]);
    expect(chain.code).toBe(1);
    expect(chain.stderr).toMatch(/^optel: (cannot load .*: it called process\.exit\(\) while being imported|the catalog module called process\.exit\(\) after it was loaded; ignored).*\n$/);
    const odd = await optel(['docs', join(dir, 'throws-later.mjs')]);
    expect([odd.code, odd.stdout, odd.stderr]).toEqual([1, '', `optel: cannot load ${join(dir, 'throws-later.mjs')}: a value that cannot be shown\n`]);
    for (const name of ['exits.mjs', 'exits-later.mjs']) {
      const run = await optel(['docs', join(dir, name)]);
      expect([run.code, run.stdout, run.stderr]).toEqual([
        1, '', `optel: cannot load ${join(dir, name)}: it called process.exit() while being imported (a catalog module must have no side effects)\n`,
      ]);
    }
  });

  it('sends what the module prints while imported to stderr, keeping it out of the generated output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    writeFileSync(join(dir, 'chatty.mjs'), `console.log('hello from the module');\nprocess.stdout.write('and again\\n');\n${CATALOG_LINE}`);
    const run = await optel(['docs', join(dir, 'chatty.mjs')]);
    expect([run.code, run.stderr]).toEqual([0, 'hello from the module\nand again\n']);
    expect(run.stdout).toMatch(/^# Telemetry in x\n/);
    expect(run.stdout).not.toContain('hello');
  });
});

describe('errors on the terminal', () => {
  it('prints an error as one line with its control characters shown, not acted on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    writeFileSync(join(dir, 'esc.mjs'), 'throw new Error("\\x1b]0;PWNED\\x07\\x1b[2Jx");\n');
    const thrown = await optel(['docs', join(dir, 'esc.mjs')]);
    expect([thrown.code, thrown.stderr]).toEqual([1, `optel: cannot load ${join(dir, 'esc.mjs')}: \\x1b]0;PWNED\\x07\\x1b[2Jx\n`]);
    const app = await optel(['inspect', 'a\u001b[2J\nb']);
    expect([app.code, app.stderr]).toEqual([1, 'optel: "a\\x1b[2J\\x0ab" is not an app name: lowercase letters, digits, - or _, as in the catalog\'s `app`\n']);
    const option = await optel(['inspect', 'todo', '--flush', 'a\u001b[2J']);
    expect([option.code, option.stderr]).toEqual([1, "error: option '--flush <window>' argument 'a\\x1b[2J' is invalid. expected immediate, hourly, daily\n"]);
  });

  it('lists a bug report whose --app-version holds control characters without letting them act', async () => {
    const run = await optel(['bug-report', 'todo', '--dry-run', '--app-version', '1\u001b[2J'], { HOME: tempHome() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  app       todo 1\\x1b[2J\n');
  });
});

describe('empty paths', () => {
  it.each([
    ['docs', '-o, --out <file>', ['docs', CATALOG, '-o', '']],
    ['dashboards', '-o, --out <file>', ['dashboards', CATALOG, '--out', '']],
    ['collector-config', '-o, --out <file>', ['collector-config', CATALOG, '-o', '']],
    ['dev', '--save <file>', ['dev', '--port', '0', '--save', '']],
    ['inspect', '--state-dir <dir>', ['inspect', 'todo', '--state-dir', '']],
    ['bug-report', '--state-dir <dir>', ['bug-report', 'todo', '--dry-run', '--state-dir', '']],
  ])('optel %s refuses an empty %s with one line rather than quietly take it as none', async (_command, option, args) => {
    const run = await optel(args);
    expect([run.code, run.stdout, run.stderr]).toEqual([1, '', `error: option '${option}' argument '' is invalid. expected a path, not an empty string\n`]);
  });
});

describe('output that cannot be written', () => {
  it('exits 1 and says so when stdout fails for another reason than a closed reader (a full disk)', async () => {
    const out = openSync('/dev/full', 'w');
    const child = spawn(process.execPath, [OPTEL, 'docs', CATALOG], { cwd: ROOT, stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    closeSync(out);
    expect(code).toBe(1);
    expect(stderr).toBe('optel: cannot write the output: ENOSPC\n');
  });
});

describe('optel dashboards', () => {
  it('emits a Grafana dashboard with a rate panel per event and p50/p95 for timed events', async () => {
    const run = await optel(['dashboards', CATALOG]);
    const dashboard = JSON.parse(run.stdout) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs).toContain('sum by (cli_command) (rate(todo_cli_invoked_count_total{service_name="todo"}[$__rate_interval])) * 60');
    expect(exprs.some((e) => e.startsWith('histogram_quantile(0.95, sum by (le) (rate(todo_cli_invoked_duration_seconds_bucket'))).toBe(true);
    expect(dashboard.panels.some((p) => p.title === 'Events tier: recent records')).toBe(true);
  });
});

describe('optel inspect', () => {
  it('shows what is spooled per window, and as JSON', async () => {
    const home = tempHome();
    await runTodo(home, ['add', 'x'], { TODO_TELEMETRY_FLUSH: 'hourly', TODO_TELEMETRY_EVENTS: 'on' });
    await runTodo(home, ['fail'], { TODO_TELEMETRY_FLUSH: 'hourly' });
    const text = await optel(['inspect', 'todo', '--state-dir', todoStateDir(home)]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('window still open');
    expect(text.stdout).toContain("(flush: hourly, assumed: the app's own default is not known here; --flush to say)");
    expect((await optel(['inspect', 'todo', '--state-dir', todoStateDir(home), '--flush', 'daily'])).stdout).toContain('(flush: daily)\n');
    expect(text.stdout).toMatch(/todo\.cli\.invoked\s+2\s+\[metrics/);
    expect(text.stdout).toContain('error.type: SimulatedFailure×1');
    const json = JSON.parse((await optel(['inspect', 'todo', '--json'], { HOME: home })).stdout) as {
      windows: Array<{ deliverable: boolean; events: Record<string, { count: number; tiers: string[] }> }>;
    };
    expect(json.windows).toHaveLength(1);
    expect(json.windows[0]!.deliverable).toBe(false);
    expect(json.windows[0]!.events['todo.item.added']).toMatchObject({ count: 1, tiers: ['metrics', 'events'] });
  });

  it('refuses what cannot be an app name (it becomes part of a path), for inspect and bug-report', async () => {
    for (const command of ['inspect', 'bug-report']) {
      const run = await optel([command, '../../etc', '--dry-run'].slice(0, command === 'inspect' ? 2 : 3));
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('optel: "../../etc" is not an app name: lowercase letters, digits, - or _, as in the catalog\'s `app`\n');
    }
  });

  it('ignores a stray file among the sender\'s claims, as the sender does', async () => {
    const home = tempHome();
    await runTodo(home, ['add', 'x'], { TODO_TELEMETRY_FLUSH: 'hourly' });
    mkdirSync(join(todoStateDir(home), 'spool', '.claims'), { recursive: true });
    writeFileSync(join(todoStateDir(home), 'spool', '.claims', 'stray'), '');
    const run = await optel(['inspect', 'todo', '--json'], { HOME: home });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ claimedFiles: 0 });
  });

  it('tells a spool file it cannot read from damaged lines', async () => {
    const home = tempHome();
    await runTodo(home, ['add', 'x'], { TODO_TELEMETRY_FLUSH: 'hourly' });
    const spool = join(todoStateDir(home), 'spool');
    const [existing] = readdirSync(spool).filter((n) => n.endsWith('.jsonl'));
    // A directory under a spool file's name: not a regular file, so not read (even by root), with 3 events in its name.
    mkdirSync(join(spool, existing!.replace(/-\d+e-\d+b\.jsonl$/, '-3e-10b.jsonl').replace(/^(\d{13})-/, '$1-1')));
    const run = await optel(['inspect', 'todo', '--state-dir', todoStateDir(home)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 file could not be read (ENOTREG): its events are not shown');
    expect(run.stdout).not.toContain('damaged line');
  });

  it('lists only what the sender would send once a tier is withdrawn, and says the rest will not be sent', async () => {
    const home = tempHome();
    await runTodo(home, ['add', 'secret', 'words'], { TODO_TELEMETRY_FLUSH: 'hourly', TODO_TELEMETRY_EVENTS: 'on' });
    // Withdrawn by hand (`todo telemetry off events` would also take the records off the disk at once).
    mkdirSync(join(home, '.config', 'todo'), { recursive: true });
    writeFileSync(join(home, '.config', 'todo', 'telemetry.json'), JSON.stringify({ events: false }));
    const run = await optel(['inspect', 'todo', '--flush', 'immediate'], { HOME: home });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('secret words');
    expect(run.stdout).toMatch(/todo\.item\.added\s+1\s+\[metrics\]/);
    expect(run.stdout).toContain('not sent: 2 occurrences in the events tier (withdrawn since they were recorded)');
  });

  it('fails with one line when --state-dir does not exist or is not a directory (a typo is not "nothing spooled")', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    const missing = await optel(['inspect', 'todo', '--state-dir', join(dir, 'typo')]);
    expect([missing.code, missing.stdout, missing.stderr]).toEqual([1, '', `optel: --state-dir ${join(dir, 'typo')} does not exist\n`]);
    writeFileSync(join(dir, 'file'), '');
    const file = await optel(['inspect', 'todo', '--state-dir', join(dir, 'file')]);
    expect([file.code, file.stderr]).toEqual([1, `optel: --state-dir ${join(dir, 'file')} is not a directory\n`]);
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'state', 'spool'), '');
    const spool = await optel(['inspect', 'todo', '--state-dir', join(dir, 'state')]);
    expect([spool.code, spool.stderr]).toEqual([1, `optel: ${join(dir, 'state', 'spool')} is not a directory\n`]);
    mkdirSync(join(dir, 'empty'));
    const empty = await optel(['inspect', 'todo', '--state-dir', join(dir, 'empty')]);
    expect([empty.code, empty.stdout]).toEqual([0, `nothing spooled (${join(dir, 'empty', 'spool')} does not exist)\n`]);
  });

  it.each([['does not exist', 'typo'], ['is not a directory', 'file']])(
    'refuses to write a bug report when --state-dir %s, rather than report no history',
    async (why, name) => {
      const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
      writeFileSync(join(dir, 'file'), '');
      const run = await runNode(OPTEL, ['bug-report', 'todo', '--state-dir', join(dir, name)], { env: { PATH: process.env.PATH ?? '', HOME: dir }, cwd: dir });
      expect([run.code, run.stdout, run.stderr]).toEqual([1, '', `optel: --state-dir ${join(dir, name)} ${why}\n`]);
      expect(readdirSync(dir)).toEqual(['file']);
    },
  );

  it('reads the flush the app would: the variable trimmed and in any case, or the user\'s settings file', async () => {
    const home = tempHome();
    await runTodo(home, ['add', 'x'], { TODO_TELEMETRY_FLUSH: 'hourly' });
    const fromEnv = await optel(['inspect', 'todo'], { HOME: home, TODO_TELEMETRY_FLUSH: ' Daily ' });
    expect(fromEnv.stdout).toContain('(flush: daily)\n');
    mkdirSync(join(home, '.config', 'todo'), { recursive: true });
    writeFileSync(join(home, '.config', 'todo', 'telemetry.json'), JSON.stringify({ metrics: true, flush: 'daily' }));
    const fromFile = await optel(['inspect', 'todo'], { HOME: home });
    expect(fromFile.stdout).toContain('(flush: daily)\n');
  });

  it('says so when nothing is spooled', async () => {
    const run = await optel(['inspect', 'todo'], { HOME: tempHome() });
    expect(run.stdout).toMatch(/^nothing spooled/);
  });

  it('rejects a bad --flush value with a one-line error', async () => {
    const run = await optel(['inspect', 'todo', '--flush', 'weekly']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("option '--flush <window>' argument 'weekly' is invalid");
  });
});

describe('optel dev and optel gateway', () => {
  /** Starts a server command, reads its address, then closes the reading end of its stdout (`| head -1`). */
  async function serveThenLoseReader(args: string[]) {
    const child = spawn(process.execPath, [OPTEL, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: tempHome() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      child.once('exit', () => reject(new Error(`exited before listening: ${stderr}`)));
    });
    child.stdout.destroy();
    return { child, url, exited, stderr: () => stderr };
  }

  it.each([
    ['dev', () => ['dev', '--port', '0']],
    ['gateway', (upstream: string) => ['gateway', '--catalog', CATALOG, '--upstream', upstream, '--port', '0']],
  ])('optel %s keeps serving when whoever read its output goes away (EPIPE), and stops cleanly', async (_name, args) => {
    const upstream = await startReceiver();
    const server = await serveThenLoseReader(args(upstream.url));
    try {
      // Each of these makes the server print a line into the closed pipe.
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${server.url}/v1/nothing-here`, { method: 'POST' });
        expect(res.status).toBe(404);
      }
      const ok = await fetch(`${server.url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(ok.status).toBe(200);
      expect(server.child.exitCode).toBeNull();
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      await upstream.close();
    }
    expect(server.stderr()).not.toMatch(/EPIPE|Error/);
  });

  it('optel gateway stops with one line and a failing code, not exit 0 and nothing said, when its catalog module calls process.exit later', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    const late = join(dir, 'late-exit.mjs');
    writeFileSync(late, `export { catalog } from ${JSON.stringify(CATALOG)};\nsetTimeout(() => process.exit(0), 300);\n`);
    const run = await optel(['gateway', '--catalog', late, '--upstream', 'http://127.0.0.1:9', '--port', '0']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^optel gateway: listening on /);
    expect(run.stderr).toBe('optel gateway: stopped: its thread ended on its own (did the catalog module call process.exit()?)\n');
  });

  it('optel gateway stops with one line, not a stack trace, when its catalog module throws later', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-cli-'));
    const late = join(dir, 'late.mjs');
    writeFileSync(late, `export { catalog } from ${JSON.stringify(CATALOG)};\nsetTimeout(() => { throw new Error('late boom'); }, 300);\n`);
    const run = await optel(['gateway', '--catalog', late, '--upstream', 'http://127.0.0.1:9', '--port', '0']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^optel gateway: listening on /);
    expect(run.stderr).toBe('optel gateway: stopped by an uncaught error: late boom\n');
  });
});
