// askConsent as a person meets it: the todo installer on a real pseudo-terminal (tmux), keys typed,
// the screen read back, the stored choice read from the user's file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/cli/load-catalog.js';
import { cleanEnv, filesUnder, ROOT, runNode, runTodo, tempHome, todoStateDir } from '../support/run-example.js';
import { hasTmux, openTerminal, type Terminal } from './terminal.js';

const INSTALL = join(ROOT, 'examples', 'todo', 'install.mjs');
const PROMPT = 'Send usage metrics and events to the todo authors? [Y/n]';
const INSTALLED = /todo 1\.4\.2 installed \(telemetry: metrics (on|off), events (on|off)\)/;
const NOTICE = 'todo collects anonymous usage';
const { catalog } = await loadCatalog(join(ROOT, 'examples', 'todo', 'catalog.mjs'));

let home: string;
const terminals: Terminal[] = [];
beforeEach(() => {
  home = tempHome();
});
afterEach(() => {
  for (const t of terminals.splice(0)) t.close();
});

const userFile = () => join(home, '.config', 'todo', 'telemetry.json');
const userChoice = () => JSON.parse(readFileSync(userFile(), 'utf8')) as Record<string, unknown>;
const noticeMarker = () => join(todoStateDir(home), 'notice-shown');

/** Runs the installer on a fresh terminal with only PATH, HOME and `extra` in its environment. */
function install(extra: Record<string, string> = {}): Terminal {
  const t = openTerminal([process.execPath, INSTALL], { env: cleanEnv(home, extra), cwd: home });
  terminals.push(t);
  return t;
}

/** Installs and answers the question with `keys`; returns the final screen once it has exited with 0. */
async function installAnswering(...keys: string[]): Promise<string> {
  const t = install();
  await t.waitFor(PROMPT);
  t.press(...keys);
  expect(await t.exited()).toBe(0);
  return t.screen();
}

// In CI the terminal tests must run (CI installs tmux); only a developer machine without tmux skips them.
const skip = !hasTmux && !process.env.CI;
const title = skip
  ? 'askConsent on a real terminal (SKIPPED: tmux is not installed; `apt-get install tmux` to run these)'
  : 'askConsent on a real terminal';

describe.skipIf(skip)(title, () => {
  it('explains every todo event, what is never collected and how to change it, then asks', async () => {
    const t = install();
    const screen = await t.waitFor(PROMPT);
    for (const [name, event] of Object.entries(catalog.events)) {
      expect(screen).toContain(name);
      expect(screen).toContain(event.description.replace(/ \(.*$/, ''));
    }
    expect(screen).toContain('Never: code, host or user names');
    expect(screen).toContain('`todo telemetry on|off`, TODO_TELEMETRY=0 or DO_NOT_TRACK=1');
    expect(screen).not.toMatch(INSTALLED);
    t.press('C-c');
    await t.exited();
  });

  it('stores "n" as metrics and events off, with the installer as its source', async () => {
    const screen = await installAnswering('n', 'Enter');
    expect(userChoice()).toMatchObject({ metrics: false, events: false, source: 'installer' });
    expect(userChoice()).not.toHaveProperty('traces');
    expect(screen).toContain('todo 1.4.2 installed (telemetry: metrics off, events off)');
    // Nothing recorded before the answer survives it.
    expect(filesUnder(todoStateDir(home)).filter((f) => f.startsWith('spool/'))).toEqual([]);
  });

  it("takes the author's default (yes) on Enter, and the first-run notice is not shown on top", async () => {
    const screen = await installAnswering('Enter');
    expect(userChoice()).toMatchObject({ metrics: true, events: true, source: 'installer' });
    expect(screen).toContain('todo 1.4.2 installed (telemetry: metrics on, events on)');
    expect(screen).not.toContain(NOTICE);
    expect(existsSync(noticeMarker())).toBe(true);
    const firstUse = await runTodo(home, ['list']);
    expect(firstUse.stderr).toBe('');
  });

  it('never asks again once answered', async () => {
    await installAnswering('y', 'Enter');
    const again = install();
    expect(await again.exited()).toBe(0);
    expect(again.screen()).toMatch(INSTALLED);
    expect(again.screen()).not.toContain(PROMPT);
  });

  it('never asks someone who already chose with `todo telemetry off`', async () => {
    await runTodo(home, ['telemetry', 'off']);
    const t = install();
    expect(await t.exited()).toBe(0);
    expect(t.screen()).toBe('todo 1.4.2 installed (telemetry: metrics off, events off)');
    expect(userChoice()).toMatchObject({ source: 'command' });
  });

  it('asks again after an answer it does not understand, then stores yes', async () => {
    const t = install();
    await t.waitFor(PROMPT);
    t.type('maybe');
    t.press('Enter');
    await t.waitFor('Please answer y or n (Enter means yes).');
    t.type('YES');
    t.press('Enter');
    expect(await t.exited()).toBe(0);
    expect(t.screen().split(PROMPT)).toHaveLength(3);
    expect(userChoice()).toMatchObject({ metrics: true, events: true, source: 'installer' });
  });

  it('gives up after three answers it does not understand, storing nothing', async () => {
    const t = install();
    await t.waitFor(PROMPT);
    for (const word of ['x', 'sure', 'nope']) {
      t.type(word);
      t.press('Enter');
    }
    expect(await t.exited()).toBe(0);
    expect(t.screen()).toContain('No answer recorded');
    expect(existsSync(userFile())).toBe(false);
  });

  it('ends the question on Ctrl+C: nothing stored, the installer exits 0, and a later run asks again', async () => {
    const t = install();
    await t.waitFor(PROMPT);
    t.type('ye');
    t.press('C-c');
    expect(await t.exited()).toBe(0);
    expect(t.screen()).toContain('No answer recorded; decide any time with `todo telemetry on|off`.');
    expect(t.screen()).toMatch(INSTALLED);
    expect(existsSync(userFile())).toBe(false);

    const later = install();
    await later.waitFor(PROMPT);
    later.press('C-c');
    await later.exited();
  });

  it('stores nothing on end of input (Ctrl+D)', async () => {
    const t = install();
    await t.waitFor(PROMPT);
    t.press('C-d');
    expect(await t.exited()).toBe(0);
    expect(t.screen()).toMatch(INSTALLED);
    expect(existsSync(userFile())).toBe(false);
  });

  it('does not ask when DO_NOT_TRACK=1, and prints nothing of its own', async () => {
    const t = install({ DO_NOT_TRACK: '1' });
    expect(await t.exited()).toBe(0);
    expect(t.screen()).toBe('todo 1.4.2 installed (telemetry: metrics off, events off)');
    expect(existsSync(userFile())).toBe(false);
  });

  it('does not ask when the admin policy decides both tiers', async () => {
    const policy = join(home, 'policy.json');
    writeFileSync(policy, JSON.stringify({ metrics: false, events: false }));
    const t = install({ TODO_TELEMETRY_POLICY_FILE: policy });
    expect(await t.exited()).toBe(0);
    expect(t.screen()).toBe('todo 1.4.2 installed (telemetry: metrics off, events off)');
    expect(existsSync(userFile())).toBe(false);
  });

  it('does not ask in CI, even on a terminal', async () => {
    const t = install({ CI: 'true' });
    expect(await t.exited()).toBe(0);
    expect(t.screen()).not.toContain(PROMPT);
    expect(existsSync(userFile())).toBe(false);
  });

  it('does not ask when stderr is redirected away from the terminal', async () => {
    const log = join(home, 'install.log');
    const t = openTerminal(['sh', '-c', `"${process.execPath}" "${INSTALL}" 2>"${log}"`], { env: cleanEnv(home), cwd: home });
    terminals.push(t);
    expect(await t.exited()).toBe(0);
    expect(t.screen()).toMatch(INSTALLED);
    expect(readFileSync(log, 'utf8')).not.toContain('Send usage');
    expect(existsSync(userFile())).toBe(false);
  });
});

describe('askConsent without a terminal', () => {
  it('asks nothing, prints nothing of its own and stores nothing when run with pipes', async () => {
    const run = await runNode(INSTALL, [], { env: cleanEnv(home) });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('todo 1.4.2 installed (telemetry: metrics on, events off)\n');
    // The only thing on stderr may be the usual first-run notice, which applies as before.
    expect(run.stderr === '' || run.stderr.startsWith(NOTICE)).toBe(true);
    expect(run.stderr).not.toContain('Send usage');
    expect(existsSync(userFile())).toBe(false);
  });
});
