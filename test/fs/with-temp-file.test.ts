import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/config/atomic-file.js';
import { withTempFile } from '../../src/fs/with-temp-file.js';

const dir = () => mkdtempSync(join(tmpdir(), 'optel-temp-file-'));

describe('withTempFile', () => {
  it('hands the written temp file to publish and returns its result', () => {
    const d = dir();
    expect(withTempFile(join(d, 'x.tmp'), 'data', (tmp) => (renameSync(tmp, join(d, 'x')), 'done'))).toBe('done');
    expect(readdirSync(d)).toEqual(['x']);
    expect(readFileSync(join(d, 'x'), 'utf8')).toBe('data');
  });

  it('removes the temp file after publishing when asked (a hard link keeps the data)', () => {
    const d = dir();
    withTempFile(join(d, 'x.tmp'), new Uint8Array([1, 2]), (tmp) => linkSync(tmp, join(d, 'x')), true);
    expect(readdirSync(d)).toEqual(['x']);
  });

  it('leaves no temp file behind when publishing fails, and passes the error on', () => {
    const d = dir();
    mkdirSync(join(d, 'taken'));
    expect(() => withTempFile(join(d, 'x.tmp'), 'data', (tmp) => renameSync(tmp, join(d, 'taken')))).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(d)).toEqual(['taken']);
  });

  it('passes on the write error, not a cleanup error, when the temp path is taken by a directory', () => {
    const d = dir();
    mkdirSync(join(d, 'x.tmp'));
    expect(() => withTempFile(join(d, 'x.tmp'), 'data', () => 'never')).toThrow(/EEXIST/);
    expect(readdirSync(d)).toEqual(['x.tmp']);
  });

  it('never writes through a symlink planted at the temp name, and leaves it alone', () => {
    const d = dir();
    writeFileSync(join(d, 'victim'), 'precious', { mode: 0o644 });
    symlinkSync(join(d, 'victim'), join(d, 'x.tmp'));
    expect(() => withTempFile(join(d, 'x.tmp'), 'data', (tmp) => renameSync(tmp, join(d, 'x')))).toThrow(/EEXIST/);
    expect(readFileSync(join(d, 'victim'), 'utf8')).toBe('precious');
    expect(readdirSync(d).sort()).toEqual(['victim', 'x.tmp']);
  });

  it('keeps writeFileAtomic from leaving temp files next to a target it cannot replace', () => {
    const d = dir();
    mkdirSync(join(d, 'telemetry.json'));
    for (let i = 0; i < 3; i++) expect(() => writeFileAtomic(join(d, 'telemetry.json'), '{}')).toThrow();
    expect(readdirSync(d)).toEqual(['telemetry.json']);
  });
});
