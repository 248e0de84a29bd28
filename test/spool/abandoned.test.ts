import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoverAbandonedWrites } from '../../src/spool/abandoned.js';
import { parseSpoolFileName, spoolFiles } from '../../src/spool/file-name.js';
import { readSpoolFile } from '../../src/spool/read.js';

/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number;

const text = `${JSON.stringify({ optel: 1, app: 'todo', version: '1', installationId: 'i', at: 1_000 })}\n{"n":"todo.cli.invoked","t":1000,"a":{},"k":"m"}\n`;

describe('recoverAbandonedWrites', () => {
  it("puts a killed writer's finished temp file into the spool under its own name, once", () => {
    const spool = join(mkdtempSync(join(tmpdir(), 'optel-abandoned-')), 'spool');
    mkdirSync(spool);
    const name = `0000000001000-${deadPid()}-abc-1e-${Buffer.byteLength(text)}b.jsonl`;
    writeFileSync(join(spool, `.tmp-${name}`), text);
    // Ten minutes first, whatever the pid says: a spool shared across machines shows live writers as dead.
    expect(recoverAbandonedWrites(spool)).toBe(0);
    const later = Date.now() + 11 * 60_000;
    expect(recoverAbandonedWrites(spool, later)).toBe(1);
    expect(readdirSync(spool)).toEqual([name]);
    expect(readSpoolFile(spool, parseSpoolFileName(name)!).records).toHaveLength(1);
    expect(recoverAbandonedWrites(spool, later)).toBe(0);
  });

  it('leaves a live writer its temp file, unless it is an hour old', () => {
    const spool = mkdtempSync(join(tmpdir(), 'optel-abandoned-'));
    const name = `0000000001000-${process.pid}-abc-1e-${Buffer.byteLength(text)}b.jsonl`;
    writeFileSync(join(spool, `.tmp-${name}`), text);
    expect(recoverAbandonedWrites(spool)).toBe(0);
    expect(spoolFiles(readdirSync(spool))).toEqual([]);
    expect(recoverAbandonedWrites(spool, Date.now() + 2 * 60 * 60_000)).toBe(1);
  });

  it('removes what only looks like a temp file: a symlink (its target untouched) or a name that is not a spool write', () => {
    const root = mkdtempSync(join(tmpdir(), 'optel-abandoned-'));
    const spool = join(root, 'spool');
    mkdirSync(spool);
    writeFileSync(join(root, 'notes.txt'), 'mine');
    symlinkSync(join(root, 'notes.txt'), join(spool, `.tmp-0000000001000-${deadPid()}-abc-1e-4b.jsonl`));
    writeFileSync(join(spool, '.tmp-whatever'), 'x');
    expect(recoverAbandonedWrites(spool)).toBe(0);
    expect(readdirSync(spool)).toEqual([]);
    expect(readFileSync(join(root, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(root, 'notes.txt'))).toBe(true);
  });
});
