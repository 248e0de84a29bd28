import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/run-example.js';

/** `npm run demo` as CI runs it (stdout not a terminal), on the dist/ the test run has just built. */
function demo(): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'demo.mjs'), '--once', '--no-build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout }));
  });
}

describe('npm run demo', () => {
  it('runs the todo CLI against optel dev, waits for every recorded command, shows what arrived redacted, and exits 0', async () => {
    const { code, stdout } = await demo();
    expect(stdout).not.toContain('arrived in time');
    expect(code).toBe(0);
    // Eleven recorded runs: `todo telemetry status` is the user looking at their settings, never recorded.
    expect(stdout).toMatch(/^ {2}todo\.cli\.invoked +11 /m);
    expect(stdout).toContain('"text":"email <email> about <path>"');
    expect(stdout).not.toContain('alice@example.com"');
    expect(stdout).not.toContain('/home/alice/plan.md"');
  }, 60_000);
});
