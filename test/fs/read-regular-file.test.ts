import { mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRegularFile } from '../../src/fs/read-regular-file.js';

describe('readRegularFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'optel-regular-'));
  writeFileSync(join(dir, 'real.json'), '{"a":1}');
  symlinkSync(join(dir, 'real.json'), join(dir, 'link.json'));

  it('reads a regular file, and through a symlink only when told to follow it', () => {
    const mtimeMs = statSync(join(dir, 'real.json')).mtimeMs;
    expect(readRegularFile(join(dir, 'real.json'), { maxBytes: 100, followSymlinks: false })).toEqual({ text: '{"a":1}', mtimeMs });
    expect(readRegularFile(join(dir, 'link.json'), { maxBytes: 100, followSymlinks: true })).toEqual({ text: '{"a":1}', mtimeMs });
    expect(readRegularFile(join(dir, 'link.json'), { maxBytes: 100, followSymlinks: false })).toEqual({ problem: 'a symbolic link', code: 'ELOOP' });
  });

  it('tells a missing file from one it refuses: a directory, a device, a file over the limit', () => {
    expect(readRegularFile(join(dir, 'none.json'), { maxBytes: 100, followSymlinks: true })).toEqual({ missing: true });
    symlinkSync(join(dir, 'none.json'), join(dir, 'dangling.json'));
    expect(readRegularFile(join(dir, 'dangling.json'), { maxBytes: 100, followSymlinks: true })).toEqual({ problem: 'a symbolic link to nothing', code: 'ENOENT' });
    expect(readRegularFile(join(dir, 'dangling.json'), { maxBytes: 100, followSymlinks: false })).toEqual({ problem: 'a symbolic link', code: 'ELOOP' });
    expect(readRegularFile(dir, { maxBytes: 100, followSymlinks: true })).toEqual({ problem: 'not a regular file', code: 'ENOTREG' });
    expect(readRegularFile('/dev/zero', { maxBytes: 100, followSymlinks: true })).toEqual({ problem: 'not a regular file', code: 'ENOTREG' });
    expect(readRegularFile(join(dir, 'real.json'), { maxBytes: 3, followSymlinks: true })).toEqual({ problem: 'larger than 3 bytes', code: 'EFBIG' });
  });
});
