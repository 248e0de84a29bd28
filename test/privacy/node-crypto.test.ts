import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/run-example.js';

/** The built-in modules a fresh process has loaded after running `script` (an ES module). */
function loadedAfter(script: string): string[] {
  const probe = `${script}; process.stderr.write(JSON.stringify(process.moduleLoadList))`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: ROOT, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stderr) as string[]).filter((m) => m.startsWith('NativeModule '));
}

describe('nodeCrypto', () => {
  it('is not loaded by importing optel, only once an identity is made', () => {
    const bundle = JSON.stringify(join(ROOT, 'dist', 'bundle', 'index.js'));
    expect(loadedAfter(`await import(${bundle})`)).not.toContain('NativeModule crypto');
    const made = `const { nodeCrypto } = await import(${JSON.stringify(join(ROOT, 'dist', 'privacy', 'node-crypto.js'))}); nodeCrypto().randomUUID()`;
    expect(loadedAfter(made)).toContain('NativeModule crypto');
  });
});
