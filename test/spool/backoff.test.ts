import { lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activeBackoff, inBackoff, readBackoff, recordFailure } from '../../src/spool/backoff.js';

const spool = () => mkdtempSync(join(tmpdir(), 'optel-backoff-'));

describe('the delivery back-off', () => {
  it('waits after a failure, but ignores a back-off longer than the 15 min cap (written while the clock was ahead)', () => {
    const dir = spool();
    const now = Date.now();
    recordFailure(dir, now);
    expect(inBackoff(dir, now)).toBe(true);
    expect(inBackoff(dir, now + 1_001)).toBe(false);
    writeFileSync(join(dir, '.backoff.json'), JSON.stringify({ failures: 3, until: now + 365 * 24 * 3_600_000 }));
    expect(inBackoff(dir, now)).toBe(false);
  });

  it('replaces a symlink planted as .backoff.json instead of writing through it', () => {
    const dir = spool();
    const target = join(dir, 'bashrc');
    writeFileSync(target, '# my bashrc\n');
    symlinkSync(target, join(dir, '.backoff.json'));
    recordFailure(dir);
    expect(readFileSync(target, 'utf8')).toBe('# my bashrc\n');
    expect(lstatSync(join(dir, '.backoff.json')).isFile()).toBe(true);
    expect(readBackoff(dir)?.failures).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['.backoff.json', 'bashrc']);
  });

  it.each([
    ['a time no Date can hold', { failures: 3, until: 9e15 }],
    ['an infinite failure count', '{"failures":1e400,"until":1}'],
    ['a negative failure count', { failures: -1, until: 1 }],
    ['a fractional failure count', { failures: 1.5, until: 1 }],
    ['a failure count that is not a number', { failures: '3', until: 1 }],
    ['null', null],
  ])('reads %s as no back-off at all', (_what, content) => {
    const dir = spool();
    writeFileSync(join(dir, '.backoff.json'), typeof content === 'string' ? content : JSON.stringify(content));
    expect(readBackoff(dir)).toBeUndefined();
    expect(recordFailure(dir, 0)).toEqual({ failures: 1, until: 1_000 });
  });

  it('honours a back-off only while it lasts and no longer than the cap, as inBackoff decides', () => {
    const dir = spool();
    const now = Date.now();
    writeFileSync(join(dir, '.backoff.json'), JSON.stringify({ failures: 4, until: now + 8_000 }));
    expect(activeBackoff(dir, now)).toEqual({ failures: 4, until: now + 8_000 });
    expect(activeBackoff(dir, now + 8_000)).toBeUndefined();
    writeFileSync(join(dir, '.backoff.json'), JSON.stringify({ failures: 4, until: now + 86_400_000 }));
    expect(readBackoff(dir)).toEqual({ failures: 4, until: now + 86_400_000 });
    expect([activeBackoff(dir, now), inBackoff(dir, now)]).toEqual([undefined, false]);
  });
});
