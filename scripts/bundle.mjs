// Bundles the public entries: what a CLI imports at start-up is its cost, and one module loads
// ~3× faster than the ~45 small ESM files tsc emits (see bench/RESULTS.md). Each entry is one
// self-contained file (code splitting would cost the main entry ~3 ms in extra module loads); the
// little state they must share (the diag mirror) lives on a global symbol.
// The bundle sits one level below dist/, like the modules it replaces, so its relative paths to
// the lazily loaded parts (dist/export/*: the OTel SDK side) stay valid.
import { build } from 'esbuild';

await build({
  entryPoints: {
    index: 'src/index.ts',
    commander: 'src/instruments/commander.ts',
    mcp: 'src/integrations/mcp.ts',
    'bug-report': 'src/bug-report/index.ts',
  },
  outdir: 'dist/bundle',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // The daemon recorder and the sender pull in the OTel SDK, bug reports pull in zlib: they stay
  // separate modules, imported only when used.
  external: ['../export/*', '../bug-report/*'],
  logLevel: 'warning',
});
