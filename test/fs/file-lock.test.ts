import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ifFileUnlocked, withFileLock } from '../../src/fs/file-lock.js';

const file = () => join(mkdtempSync(join(tmpdir(), 'optel-file-lock-')), 'state.json');
/** A lock file as another process leaves it, last touched `offsetMs` from now. */
const lockAt = (path: string, offsetMs: number) => {
  writeFileSync(`${path}.lock`, '');
  const at = (Date.now() + offsetMs) / 1000;
  utimesSync(`${path}.lock`, at, at);
};

describe('withFileLock', () => {
  it('holds the lock while updating and removes it after', () => {
    const path = file();
    expect(withFileLock(path, () => existsSync(`${path}.lock`))).toBe(true);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('takes over a lock left by a dead holder, and one stamped in the future (the clock stepped back)', () => {
    for (const offset of [-60_000, 3_600_000]) {
      const path = file();
      lockAt(path, offset);
      expect(withFileLock(path, () => existsSync(`${path}.lock`))).toBe(true);
      expect(existsSync(`${path}.lock`)).toBe(false);
    }
  });
});

describe('ifFileUnlocked', () => {
  it('runs the update only when the lock is free at once, and never waits', () => {
    const path = file();
    lockAt(path, 0);
    let ran = false;
    expect(ifFileUnlocked(path, () => (ran = true))).toBe(false);
    expect(ran).toBe(false);
    // Someone else's lock is theirs to remove.
    expect(existsSync(`${path}.lock`)).toBe(true);
    lockAt(path, 3_600_000);
    expect(ifFileUnlocked(path, () => (ran = true))).toBe(true);
    expect(ran).toBe(true);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});
