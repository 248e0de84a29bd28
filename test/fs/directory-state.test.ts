import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directoryState } from '../../src/fs/directory-state.js';

describe('directoryState', () => {
  it('tells a directory from nothing and from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-dir-state-'));
    writeFileSync(join(dir, 'file'), '');
    expect(directoryState(dir)).toBe('directory');
    expect(directoryState(join(dir, 'missing'))).toBe('missing');
    expect(directoryState(join(dir, 'file'))).toBe('not a directory');
    // A file where a parent should be: nothing can be there.
    expect(directoryState(join(dir, 'file', 'spool'))).toBe('missing');
  });
});
