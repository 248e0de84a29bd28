import { lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inBackoff, readBackoff, recordFailure } from '../../src/spool/backoff.js';

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
});
