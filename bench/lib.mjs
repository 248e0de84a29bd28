// Small helpers shared by the benchmarks: medians, interleaved process timing, table output.
import { spawn } from 'node:child_process';

/** Median of a list of numbers. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Wall time (ms) of one child process, from spawn to exit. */
export function timeProcess(cmd, args, env, cwd) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ ms: performance.now() - start, code }));
  });
}

/**
 * Runs each variant `runs` times, interleaved and rotated (A B C, B C A, C A B…) so drift on a
 * shared machine and position effects hit every variant alike; returns the median wall time per variant.
 */
export async function interleaved(variants, runs, warmup = 2) {
  const times = Object.fromEntries(variants.map((v) => [v.name, []]));
  for (let i = 0; i < runs + warmup; i++) {
    // Rotate the order every round so no variant always runs right after the same other one.
    const order = variants.map((_, k) => variants[(k + i) % variants.length]);
    for (const v of order) {
      if (v.before) await v.before();
      const { ms } = await timeProcess(v.cmd, v.args, v.env, v.cwd);
      if (i >= warmup) times[v.name].push(ms);
      // Let background work (a detached sender) finish, so it never lands on the next variant's run.
      await new Promise((r) => setTimeout(r, v.cooldownMs ?? 100));
    }
  }
  return Object.fromEntries(variants.map((v) => [v.name, median(times[v.name])]));
}

/** Prints a titled table of rows `[label, value, ratio]`. */
export function table(title, rows) {
  console.log(`\n## ${title}`);
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [label, value, ratio] of rows) console.log(`  ${label.padEnd(w)}  ${value.padStart(12)}  ${ratio ?? ''}`);
}

/** "1.23×" */
export const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
