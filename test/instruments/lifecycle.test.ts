import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { counterTotal, ROOT, runTodo, settle, tempHome, todoStateDir, toReceiver } from '../support/run-example.js';
import { startTogether } from '../support/together.js';

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe('built-in lifecycle events (the todo catalog spreads lifecycleEvents())', () => {
  it('marks the first run, the daily active installation and the first use of each command once', async () => {
    const home = tempHome();
    await runTodo(home, ['add', 'x'], toReceiver(receiver));
    await runTodo(home, ['add', 'y'], toReceiver(receiver));
    await runTodo(home, ['list'], toReceiver(receiver));
    await receiver.waitFor(() => counterTotal(receiver, 'todo.cli.invoked.count') === 3);
    await settle(300);
    expect(counterTotal(receiver, 'todo.install.first_run.count')).toBe(1);
    expect(counterTotal(receiver, 'todo.install.active.count')).toBe(1);
    expect(counterTotal(receiver, 'todo.command.adopted.count', (a) => a['cli.command'] === 'add')).toBe(1);
    expect(counterTotal(receiver, 'todo.command.adopted.count', (a) => a['cli.command'] === 'list')).toBe(1);
  });

  it('reports an upgrade as major.minor buckets, and a new day as active again', async () => {
    const home = tempHome();
    await runTodo(home, ['list'], { TODO_TELEMETRY_FLUSH: 'hourly' });
    const file = join(todoStateDir(home), 'lifecycle.json');
    const state = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...state, version: '1.3.9', day: '2020-01-01' }));
    await runTodo(home, ['list'], toReceiver(receiver));
    await receiver.waitFor(() => counterTotal(receiver, 'todo.cli.invoked.count') === 2);
    expect(counterTotal(receiver, 'todo.install.upgraded.count', (a) => a['version.from'] === '1.3' && a['version.to'] === '1.4')).toBe(1);
    expect(counterTotal(receiver, 'todo.install.active.count')).toBe(2);
    expect(counterTotal(receiver, 'todo.install.first_run.count')).toBe(1);
  });

  it('shows them in debug mode, as a normal run would send them, without writing state', async () => {
    const home = tempHome();
    const run = await runTodo(home, ['list'], { TODO_TELEMETRY_DEBUG: '1' });
    expect(run.stderr).toContain('"name":"todo.install.first_run"');
    expect(run.stderr).toContain('"name":"todo.command.adopted"');
    expect(() => readFileSync(join(todoStateDir(home), 'lifecycle.json'))).toThrow();
  });

  it('records none of them with telemetry off, and writes no state', async () => {
    const home = tempHome();
    await runTodo(home, ['list'], { DO_NOT_TRACK: '1' });
    expect(() => readFileSync(join(todoStateDir(home), 'lifecycle.json'))).toThrow();
  });
});

describe('lifecycle checks of processes started together', () => {
  /** `count` processes run start() and commandUsed('list') on one state directory at the same moment; what each recorded. */
  async function together(count: number, leftLock?: number): Promise<string[]> {
    // Not made yet, as on a first run: the lock must still be taken.
    const stateDir = join(tempHome(), '.local', 'state', 'app', 'telemetry');
    if (leftLock !== undefined) {
      // A lock left by a process killed holding it, stamped `leftLock` ms from now.
      mkdirSync(stateDir, { recursive: true });
      writeFileSync(join(stateDir, 'lifecycle.json.lock'), '');
      const at = (Date.now() + leftLock) / 1000;
      utimesSync(join(stateDir, 'lifecycle.json.lock'), at, at);
    }
    const script = join(mkdtempSync(join(tmpdir(), 'optel-lifecycle-')), 'l.mjs');
    writeFileSync(script, `import { createLifecycle } from ${JSON.stringify(join(ROOT, 'dist', 'instruments', 'lifecycle.js'))};
      const tracked = [];
      const lifecycle = createLifecycle(process.argv[2], '1.0.0', (suffix, attrs) => tracked.push(suffix + (attrs?.['cli.command'] ? ':' + attrs['cli.command'] : '')));
      process.stdin.once('data', (start) => {
        while (Date.now() < Number(start));
        lifecycle.start();
        lifecycle.commandUsed('list');
        process.stdout.write(JSON.stringify(tracked));
      });
      process.stdout.write('ready');\n`);
    const { answers, done } = await startTogether(script, [stateDir], count);
    done();
    return answers.flatMap((a) => JSON.parse(a) as string[]);
  }

  it('record the first run, the day and the first use of a command once between them', async () => {
    for (let round = 0; round < 3; round++) {
      expect((await together(8)).sort()).toEqual(['command.adopted:list', 'install.active', 'install.first_run']);
    }
  }, 60_000);

  it('do so too when a lock was left behind, old or stamped in the future: one of them takes it over', async () => {
    for (const leftLock of [-60_000, 3_600_000, -60_000, 3_600_000]) {
      expect((await together(8, leftLock)).sort()).toEqual(['command.adopted:list', 'install.active', 'install.first_run']);
    }
  }, 60_000);
});
