/**
 * The wait before retry number `attempt + 1`: `baseMs`·2^attempt, capped at `maxMs`, with jitter
 * (a random half to all of it) so replicas retrying the same upstream spread out instead of
 * arriving together.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(exp * (0.5 + random() / 2));
}
