// Bundles the public entry into one file: what a CLI imports at start-up is its cost, and one
// module loads ~3× faster than the ~45 small ESM files tsc emits (see bench/RESULTS.md).
// The bundle sits one level below dist/, like the modules it replaces, so its relative paths to
// the lazily loaded parts (dist/export/*: the OTel SDK side) stay valid.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/index.ts'],
  outfile: 'dist/bundle/index.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // The daemon recorder pulls in the OTel SDK: it stays a separate, lazily imported module.
  external: ['../export/*'],
  logLevel: 'warning',
});
