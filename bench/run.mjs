// Runs every benchmark in sequence; each prints its figures with ratios against a baseline
// measured in the same run. Results are written up in bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

const only = process.argv.slice(2);
const all = ['track', 'import', 'cli', 'sender', 'gateway'];
console.log(`# optel benchmarks — node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
let failed = 0;
for (const name of all) {
  if (only.length && !only.includes(name)) continue;
  const file = new URL(`./${name}.bench.mjs`, import.meta.url).pathname;
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
