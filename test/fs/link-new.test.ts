import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkNew } from '../../src/fs/link-new.js';

describe('linkNew', () => {
  it('publishes a temp file under a free name, and never replaces what is already there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-link-'));
    const first = join(dir, 'first.tmp');
    const second = join(dir, 'second.tmp');
    writeFileSync(first, 'first');
    writeFileSync(second, 'second');
    expect(linkNew(first, join(dir, 'file'))).toBe('linked');
    expect(linkNew(second, join(dir, 'file'))).toBe('exists');
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('first');
  });

  it('throws what is not about hard links (a missing temp file)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-link-'));
    expect(() => linkNew(join(dir, 'missing.tmp'), join(dir, 'file'))).toThrow(/ENOENT/);
  });
});
