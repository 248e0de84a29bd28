import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/run-example.js';

describe('the published type declarations', () => {
  /** tsc's output for `source` compiled with `options`, in a host project whose node_modules/optel is this package. */
  function compile(source: string, options: Record<string, unknown>): { output: string; status: number | null } {
    const dir = mkdtempSync(join(tmpdir(), 'optel-types-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'optel'));
    writeFileSync(join(dir, 'host.ts'), source);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', noEmit: true, ...options }, files: ['host.ts'] }));
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
    return { output: tsc.stdout + tsc.stderr, status: tsc.status };
  }
  const host = [
    "import { attr, askConsent, createTelemetry, defineCatalog } from 'optel';",
    "import { instrumentCommander } from 'optel/commander';",
    "export const catalog = defineCatalog({ app: 'x', events: { 'x.cli.run': { description: 'A run.', duration: true, attributes: { n: attr.int({ min: 0, max: 9 }) } } } });",
    "export const telemetry = createTelemetry({ catalog, version: '1.0.0' });",
    'export { askConsent, instrumentCommander };',
  ].join('\n');

  it('compile under strict settings without @types/node and without skipLibCheck', () => {
    expect(compile(host, { module: 'nodenext', moduleResolution: 'nodenext', types: [], skipLibCheck: false })).toEqual({ output: '', status: 0 });
  }, 60_000);

  it('are found by a CommonJS host on the legacy node10 resolution, subpaths included', () => {
    expect(compile(host, { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true, skipLibCheck: true })).toEqual({ output: '', status: 0 });
  }, 60_000);
});
