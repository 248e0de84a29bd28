import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { counterTotal, runTodo, settle, tempHome, todoStateDir, toReceiver } from '../support/run-example.js';

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
