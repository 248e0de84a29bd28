import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBugReport, type BugReport } from '../../src/bug-report/index.js';
import { startReceiver } from '../support/otlp-receiver.js';
import { runNode, runTodo, ROOT, tempHome, toReceiver } from '../support/run-example.js';

describe('bug reports through the real CLIs', () => {
  it('`todo telemetry bug-report` writes one archive here with the redacted history, and lists it', async () => {
    const home = tempHome();
    await runTodo(home, ['add', 'call', 'bob@example.com'], { TODO_TELEMETRY_EVENTS: 'on' });
    await runTodo(home, ['fail']);
    const here = join(home, 'issue');
    mkdirSync(here);
    const run = await runTodo(home, ['telemetry', 'bug-report'], { TODO_TELEMETRY_EVENTS: 'on' }, here);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('todo.cli.invoked');
    const [file] = readdirSync(here);
    expect(file).toMatch(/^todo-bug-report-\d{8}-\d{6}\.json\.gz$/);
    const report = readBugReport(join(here, file!));
    expect(report.events.map((e) => e.name)).toEqual(expect.arrayContaining(['todo.item.added', 'todo.cli.invoked']));
    const text = JSON.stringify(report);
    expect(text).toContain('<email>');
    expect(text).not.toContain('bob@example.com');
    expect(text).not.toContain(home);
  });

  it('`todo telemetry bug-report` refuses an option it does not know, and writes nothing', async () => {
    const home = tempHome();
    const run = await runTodo(home, ['telemetry', 'bug-report', '--dryrun'], {}, home);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: unknown option '--dryrun'\n\(Did you mean --dry-run\?\)\n$/);
    expect(readdirSync(home).filter((f) => f.includes('bug-report'))).toEqual([]);
  });

  it('`optel bug-report todo --dry-run` lists what it would contain and writes nothing', async () => {
    const home = tempHome();
    await runTodo(home, ['list']);
    const run = await runNode(join(ROOT, 'dist', 'cli', 'main.js'), ['bug-report', 'todo', '--dry-run'], { env: { PATH: process.env.PATH ?? '', HOME: home }, cwd: home });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('todo.cli.invoked');
    expect(readdirSync(home).filter((f) => f.includes('bug-report'))).toEqual([]);
  });

  it('`optel bug-report todo` packages no event while DO_NOT_TRACK is set', async () => {
    const home = tempHome();
    await runTodo(home, ['add', 'call', 'bob@example.com'], { TODO_TELEMETRY_EVENTS: 'on' });
    const env = { PATH: process.env.PATH ?? '', HOME: home, DO_NOT_TRACK: '1' };
    const run = await runNode(join(ROOT, 'dist', 'cli', 'main.js'), ['bug-report', 'todo', '--json', '--dry-run'], { env, cwd: home });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { config: { killedBy?: string }; events: unknown[] };
    expect(report.config.killedBy).toBe('DO_NOT_TRACK');
    expect(report.events).toEqual([]);
  });

  it('`todo telemetry bug-report` holds no hashed id or time that the collector got with the installation id', async () => {
    const receiver = await startReceiver();
    try {
      const home = tempHome();
      const env = toReceiver(receiver, { TODO_TELEMETRY_EVENTS: 'on' });
      await runTodo(home, ['add', 'a'], env);
      await runTodo(home, ['done', '1'], env);
      await receiver.waitFor(() => receiver.logs().some((l) => l.eventName === 'todo.item.completed'));
      const sent = receiver.logs().find((l) => l.eventName === 'todo.item.completed')!;
      expect(sent.resource['app.installation.id']).toBeDefined();
      const run = await runTodo(home, ['telemetry', 'bug-report', '--json', '--dry-run'], env);
      const report = JSON.parse(run.stdout) as BugReport;
      const kept = report.events.find((e) => e.name === 'todo.item.completed')!;
      expect(kept.extra!['item.id']).toMatch(/^[0-9a-f]{32}$/);
      expect(kept.extra!['item.id']).not.toBe(sent.attributes['item.id']);
      const sentTimes = receiver.logs().map((l) => String(BigInt(l.timeUnixNano) / 1_000_000n));
      for (const time of sentTimes) expect(run.stdout).not.toContain(time);
      expect(report.events.every((e) => e.time % 1000 === 0)).toBe(true);
    } finally {
      await receiver.close();
    }
  });
});
