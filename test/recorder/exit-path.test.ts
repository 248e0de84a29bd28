import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, tempHome } from '../support/run-example.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'exit-cli.mjs');
const COMMANDER = join(ROOT, 'test', 'fixtures', 'commander-cli.mjs');

/** Runs a fixture, optionally signalling it once it is ready; resolves with how it ended and what it spooled. */
function run(how: string, signal?: NodeJS.Signals, fixture = FIXTURE, app = 'exiter', env: Record<string, string> = {}) {
  const home = tempHome();
  const child = spawn(process.execPath, [fixture, how], { env: cleanEnv(home, env), cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (signal && stdout.includes('ready')) child.kill(signal);
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; spooled: string[] }>((resolve) =>
    child.on('close', (code, sig) => {
      const dir = join(home, '.local', 'state', app, 'telemetry', 'spool');
      const spooled = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.jsonl')).map((n) => readFileSync(join(dir, n), 'utf8')) : [];
      resolve({ code, signal: sig, stdout, spooled });
    }));
}

describe('the exit path spools what was recorded, however the process ends', () => {
  it('on a normal end', async () => {
    const r = await run('return');
    expect(r.code).toBe(0);
    expect(r.spooled.join('')).toContain('"how":"return"');
  });

  it('on process.exit(), keeping the exit code', async () => {
    const r = await run('exit');
    expect(r.code).toBe(3);
    expect(r.spooled.join('')).toContain('"how":"exit"');
  });

  it('on an uncaught error and an unhandled rejection, keeping the crash', async () => {
    for (const how of ['throw', 'reject']) {
      const r = await run(how);
      expect(r.code).toBe(1);
      expect(r.spooled.join('')).toContain(`"how":"${how}"`);
    }
  });

  it('on SIGTERM, SIGINT and SIGHUP (its terminal closed), still dying by the signal as it would without optel', async () => {
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      const r = await run('signal', sig);
      expect(r.signal).toBe(sig);
      expect(r.spooled.join('')).toContain('"how":"signal"');
    }
  });

  it('leaves a signal the host handles to the host, and spools once', async () => {
    const r = await run('handled-signal', 'SIGTERM');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('host handled it');
    expect(r.spooled).toHaveLength(1);
    expect(r.spooled[0]!.match(/"how"/g)).toHaveLength(1);
  });

  it('records a commander run cut short by Ctrl+C, SIGTERM or SIGHUP as interrupted, with the exit code of its signal', async () => {
    for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      const r = await run('slow', sig, COMMANDER, 'slowcli');
      expect(r.signal).toBe(sig);
      const run1 = r.spooled.join('');
      expect(run1).toContain('"cli.command":"slow"');
      expect(run1).toContain('"success":false');
      expect(run1).toContain('"error.type":"AbortError"');
      expect(run1).toContain(`"process.exit.code":${code}`);
    }
  });

  it('lets a CLI that loads signal-exit still die by Ctrl+C, telemetry on or off', async () => {
    for (const env of [{}, { DO_NOT_TRACK: '1' }] as Record<string, string>[]) {
      const r = await run('slow', 'SIGINT', COMMANDER, 'slowcli', { WITH_SIGNAL_EXIT: '1', ...env });
      expect(r.signal).toBe('SIGINT');
    }
  });

  it('records a run whose host handles Ctrl+C and ends normally as what it was, not as interrupted', async () => {
    const r = await run('graceful', 'SIGINT', COMMANDER, 'slowcli');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('finished cleanly');
    const spooled = r.spooled.join('');
    expect(spooled).toContain('"cli.command":"graceful"');
    expect(spooled).toContain('"success":true');
    expect(spooled).not.toContain('AbortError');
  });

  it.each(['handled-once', 'handled-prepend-once'])("leaves the host's %s listener its graceful shutdown (Node removes a once listener just before calling it)", async (how) => {
    const r = await run(how, 'SIGTERM');
    expect(r.stdout).toContain('cleanup done');
    expect(r.code).toBe(0);
    expect(r.spooled.join('')).toContain(`"how":"${how}"`);
  });
});
