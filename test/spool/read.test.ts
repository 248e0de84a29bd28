import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpoolFileName, spoolFileName } from '../../src/spool/file-name.js';
import { readSpoolFile } from '../../src/spool/read.js';

describe('readSpoolFile', () => {
  it.each([
    ['a symlink to a file of the user\'s that looks like a spool', 'ELOOP', (target: string, at: string) => symlinkSync(target, at)],
    ['a FIFO (which would block the reader for good)', 'ENOTREG', (_: string, at: string) => execFileSync('mkfifo', [at])],
    ['a symlink to /dev/zero (which would fill its memory)', 'ELOOP', (_: string, at: string) => symlinkSync('/dev/zero', at)],
  ])('reads nothing from %s, and says why', (_, code, make) => {
    const dir = join(mkdtempSync(join(tmpdir(), 'optel-read-')), 'spool');
    mkdirSync(dir);
    const target = join(dir, '..', 'their.jsonl');
    writeFileSync(target, `${JSON.stringify({ optel: 1, app: 'todo', version: '1', installationId: 'i', at: 1 })}\n{"n":"secret.event","t":1,"a":{"email":"alice@example.com"},"k":"m"}\n`);
    const name = spoolFileName(1_000, 1, 100);
    make(target, join(dir, name));
    const content = readSpoolFile(dir, parseSpoolFileName(name)!);
    expect(content).toMatchObject({ records: [], corrupt: 1, unreadable: code });
  });
});

describe('readSpoolFile on a truncated file', () => {
  it('counts what the name says was written but the file no longer holds as damaged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-read-'));
    const header = JSON.stringify({ optel: 1, app: 'todo', version: '1', installationId: 'i', at: 1 });
    const line = '{"n":"todo.cli.invoked","t":1,"a":{},"k":"m"}';
    // Five occurrences written; the file was cut after two and half of the third.
    const name = spoolFileName(1_000, 5, 100);
    writeFileSync(join(dir, name), `${header}\n${line}\n${line}\n${line.slice(0, 20)}`);
    const content = readSpoolFile(dir, parseSpoolFileName(name)!);
    expect(content.records).toHaveLength(2);
    expect(content.corrupt).toBe(3);
  });
});
