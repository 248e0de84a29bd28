import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/run-example.js';

describe('the published type declarations', () => {
  it('compile under strict settings without @types/node and without skipLibCheck', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-types-'));
    // The built declarations, as a host's `import ... from 'optel'` and 'optel/commander' reach them.
    writeFileSync(join(dir, 'host.ts'), [
      `import { attr, askConsent, createTelemetry, defineCatalog } from '${join(ROOT, 'dist', 'index.js')}';`,
      `import { instrumentCommander } from '${join(ROOT, 'dist', 'instruments', 'commander.js')}';`,
      "export const catalog = defineCatalog({ app: 'x', events: { 'x.cli.run': { description: 'A run.', duration: true, attributes: { n: attr.int({ min: 0, max: 9 }) } } } });",
      "export const telemetry = createTelemetry({ catalog, version: '1.0.0' });",
      'export { askConsent, instrumentCommander };',
    ].join('\n'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: [], noEmit: true, skipLibCheck: false },
      files: ['host.ts'],
    }));
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 60_000);
});
