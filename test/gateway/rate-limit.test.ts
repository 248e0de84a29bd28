import { describe, expect, it } from 'vitest';
import { createRateLimiter, parseRate, retryAfterSeconds } from '../../src/gateway/rate-limit.js';

describe('rates as the command line writes them', () => {
  it.each([
    ['120/m', { perSecond: 2, burst: 120 }],
    ['10/s', { perSecond: 10, burst: 10 }],
    ['3600/h', { perSecond: 1, burst: 3600 }],
    ['5', { perSecond: 5, burst: 5 }],
  ])('reads %s', (text, spec) => {
    expect(parseRate(text)).toEqual(spec);
  });

  it.each(['', '0/s', '-1/m', 'ten/s', '5/d', 'Infinity'])('refuses %j with a one-line reason', (text) => {
    expect(() => parseRate(text)).toThrow(/invalid rate/);
  });
});

describe('token buckets', () => {
  it('lets a burst through, then says how long to wait for the next token', () => {
    let now = 0;
    const limiter = createRateLimiter({ rate: { perSecond: 2, burst: 3 }, now: () => now });
    expect([limiter.take(['a']), limiter.take(['a']), limiter.take(['a'])]).toEqual([0, 0, 0]);
    expect(limiter.take(['a'])).toBe(500);
    now = 499;
    expect(limiter.take(['a'])).toBe(1);
    now = 500;
    expect(limiter.take(['a'])).toBe(0);
  });

  it('keeps installations apart', () => {
    const limiter = createRateLimiter({ rate: { perSecond: 1, burst: 1 }, now: () => 0 });
    expect(limiter.take(['a'])).toBe(0);
    expect(limiter.take(['a'])).toBeGreaterThan(0);
    expect(limiter.take(['b'])).toBe(0);
  });

  it('takes from every named bucket or from none', () => {
    const limiter = createRateLimiter({ rate: { perSecond: 1, burst: 1 }, now: () => 0 });
    expect(limiter.take(['a'])).toBe(0);
    expect(limiter.take(['b', 'a'])).toBeGreaterThan(0);
    expect(limiter.take(['b'])).toBe(0);
  });

  it('never holds more buckets than its cap, forgetting the least recently used', () => {
    const limiter = createRateLimiter({ rate: { perSecond: 1, burst: 1 }, maxKeys: 100, now: () => 0 });
    limiter.take(['first']);
    for (let i = 0; i < 10_000; i++) limiter.take([`id-${i}`]);
    expect(limiter.size()).toBe(100);
    // Forgotten, so full again: the global bucket is what bounds a client rotating ids.
    expect(limiter.take(['first'])).toBe(0);
  });

  it('rounds Retry-After up to whole seconds, at least one', () => {
    expect([retryAfterSeconds(1), retryAfterSeconds(1000), retryAfterSeconds(1001)]).toEqual(['1', '1', '2']);
  });
});
