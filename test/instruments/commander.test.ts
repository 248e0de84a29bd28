import { describe, expect, it } from 'vitest';
import { filesUnder, runTodo, tempHome } from '../support/run-example.js';

/** How commander reports the host's own usage errors: the form and exit code the subcommand must match. */
async function hostUsageError(home: string) {
  const run = await runTodo(home, ['--bogus']);
  expect(run.stderr).toBe("error: unknown option '--bogus'\n");
  return run;
}

describe('the `todo telemetry` subcommands added by instrumentCommander', () => {
  it.each([
    [['telemetry', 'reset-id', 'extra'], "error: too many arguments for 'reset-id'. Expected 0 arguments but got 1."],
    [['telemetry', 'status', '--json'], "error: unknown option '--json'"],
    [['telemetry', 'status', 'events'], "error: too many arguments for 'status'. Expected 0 arguments but got 1."],
    [['telemetry', 'on', '--json'], "error: unknown option '--json'"],
    [['telemetry', 'on', 'logs'], "error: unknown tier 'logs' (expected metrics, events, traces or all)"],
    [['telemetry', 'frob'], "error: unknown command 'frob'"],
  ])('%j is refused in one line on stderr, as commander refuses the host\'s own words', async (args, message) => {
    const home = tempHome();
    const host = await hostUsageError(home);
    const run = await runTodo(home, args);
    expect(run.stderr).toBe(`${message}\n`);
    expect(run.code).toBe(host.code);
    expect(run.stdout).toBe('');
    expect(filesUnder(home)).toEqual([]);
  });

  it('takes only the options bug-report knows, and writes no report for a typo', async () => {
    const home = tempHome();
    const host = await hostUsageError(home);
    const run = await runTodo(home, ['telemetry', 'bug-report', '--dryrun']);
    expect(run.stderr).toMatch(/^error: unknown option '--dryrun'\n/);
    expect(run.code).toBe(host.code);
    expect(filesUnder(home)).toEqual([]);
  });

  it('lists in its help what each subcommand takes, and only there', async () => {
    const home = tempHome();
    const help = (await runTodo(home, ['telemetry', '--help'])).stdout;
    expect(help).toMatch(/^ {2}on \[tiers\.\.\.\]/m);
    expect(help).toMatch(/^ {2}reset-id\s/m);
    expect(help).not.toContain('--json');
    const on = (await runTodo(home, ['telemetry', 'on', '--help'])).stdout;
    expect(on).toContain('tiers       metrics, events, traces or all');
    expect(on).not.toContain('--dry-run');
    const bugReport = (await runTodo(home, ['telemetry', 'bug-report', '--help'])).stdout;
    expect(bugReport).toContain('--dry-run');
    expect(bugReport).toContain('--json');
    expect((await runTodo(home, ['telemetry', 'status', '--help'])).stdout).not.toContain('Arguments:');
  });
});
