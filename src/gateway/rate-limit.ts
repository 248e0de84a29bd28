/** A token bucket's shape: `burst` requests at once, refilled at `perSecond`. */
export interface RateSpec {
  readonly perSecond: number;
  readonly burst: number;
}

const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };

/**
 * Parses a rate as the command line writes it: `<n>/<s|m|h>` means at most n per unit, in bursts
 * of up to n (`120/m`: 2 a second on average, 120 at once); a bare number is per second. Throws a
 * one-line Error on anything else (definition time, not request time).
 */
export function parseRate(text: string): RateSpec {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*([smh]))?\s*$/.exec(text);
  const n = m ? Number(m[1]) : Number.NaN;
  if (!m || !(n > 0) || !Number.isFinite(n)) throw new Error(`invalid rate "${text}": use <n>/s, <n>/m or <n>/h (e.g. 120/m)`);
  const seconds = UNITS[m[2] ?? 's'] as number;
  return { perSecond: n / seconds, burst: Math.max(1, Math.floor(n)) };
}

/** Token buckets by key, bounded in number. */
export interface RateLimiter {
  /**
   * Takes one token from the bucket of every key, all or none: 0 when the request may go, else
   * the milliseconds until it could (what `Retry-After` says, rounded up to seconds).
   */
  take(keys: readonly string[]): number;
  /** Buckets currently held (at most `maxKeys`). */
  size(): number;
}

/** How to build a limiter; `now` is injectable for tests. */
export interface RateLimiterOptions {
  readonly rate: RateSpec;
  /** Most buckets kept (default 100,000, ~10 MB); the least recently used is forgotten first. */
  readonly maxKeys?: number;
  readonly now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Per-key token buckets with a size cap, so memory stays bounded whatever keys arrive. Forgetting a
 * bucket refills it, which a client rotating made-up keys could exploit: the global limit (one
 * bucket) is what bounds the total.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { perSecond, burst } = options.rate;
  const perMs = perSecond / 1000;
  const maxKeys = Math.max(1, options.maxKeys ?? 100_000);
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order; re-inserting on use makes its first key the least recently used.
  const buckets = new Map<string, Bucket>();

  const refill = (key: string, at: number): Bucket => {
    let b = buckets.get(key);
    if (b === undefined) {
      b = { tokens: burst, at };
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
    } else {
      b.tokens = Math.min(burst, b.tokens + Math.max(0, at - b.at) * perMs);
      b.at = at;
      buckets.delete(key);
    }
    buckets.set(key, b);
    return b;
  };

  return {
    take(keys) {
      const at = now();
      let wait = 0;
      const held: Bucket[] = [];
      for (const key of keys) {
        const b = refill(key, at);
        held.push(b);
        // The epsilon absorbs float error, so 0.998 tokens at 2/s waits 1 ms, not 2.
        if (b.tokens < 1) wait = Math.max(wait, 1, Math.ceil((1 - b.tokens) / perMs - 1e-9));
      }
      if (wait > 0) return wait;
      for (const b of held) b.tokens -= 1;
      return 0;
    },
    size: () => buckets.size,
  };
}

/** The `Retry-After` header value (whole seconds, at least 1) for a wait in milliseconds. */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
