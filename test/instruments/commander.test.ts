import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('saves `on events` under an admin policy that forces events off, and says on stdout that the policy file overrides it', async () => {
    const home = tempHome();
    const policy = join(home, 'policy.json');
    writeFileSync(policy, JSON.stringify({ events: false }));
    const run = await runTodo(home, ['telemetry', 'on', 'events'], { TODO_TELEMETRY_POLICY_FILE: policy });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`Saved, but this has no effect on events while the admin policy ${policy} turns it off.\n`);
    expect(filesUnder(join(home, '.config'))).toEqual(['todo/telemetry.json']);
  });

  it('names the kill switch to unset in `status`', async () => {
    const run = await runTodo(tempHome(), ['telemetry', 'status'], { TODO_TELEMETRY: '0' });
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('Telemetry stays off while TODO_TELEMETRY is set; unset it to turn telemetry back on.');
  });

  it('says `on` was not saved when there is no home directory to keep it in', async () => {
    const cwd = tempHome();
    // A relative HOME is no home: the XDG spec ignores relative directories.
    const run = await runTodo(cwd, ['telemetry', 'on'], { HOME: 'rel' }, cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Telemetry stays off while there is no home directory to keep its settings in.\nNot saved: there is no home directory to keep it in.\n');
    expect(filesUnder(cwd)).toEqual([]);
  });
});
