import { mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendToSpool } from '../../src/spool/append.js';
import { parseSpoolFileName, spoolFiles } from '../../src/spool/file-name.js';
import { readSpoolFile } from '../../src/spool/read.js';
import { restampMisdatedFiles } from '../../src/spool/restamp.js';

const YEAR = 365 * 86_400_000;
const fallback = { app: 'todo', version: '1', installationId: 'i' };

function spoolWith(at: number) {
  const spool = join(mkdtempSync(join(tmpdir(), 'optel-restamp-')), 'spool');
  appendToSpool(spool, { optel: 1, ...fallback, at }, [{ name: 'todo.cli.invoked', time: at + 5, attrs: {}, tiers: ['metrics'] }]);
  return spool;
}

describe('restampMisdatedFiles', () => {
  it('moves a file stamped a year ahead to now, its records shifted alike', () => {
    const now = Date.now();
    const spool = spoolWith(now + YEAR);
    expect(restampMisdatedFiles(spool, 'hourly', fallback, now)).toBe(1);
    const [file] = spoolFiles(readdirSync(spool));
    expect(file!.at).toBe(now);
    const content = readSpoolFile(spool, file!);
    expect(content.header?.at).toBe(now);
    expect(content.records.map((r) => r.time)).toEqual([now + 5]);
  });

  it('leaves files of the current or a past window, and an immediate file less than a minute ahead', () => {
    const now = Date.now();
    expect(restampMisdatedFiles(spoolWith(now - 2 * 3_600_000), 'hourly', fallback, now)).toBe(0);
    expect(restampMisdatedFiles(spoolWith(now + 30 * 60_000), 'hourly', fallback, now)).toBe(0);
    expect(restampMisdatedFiles(spoolWith(now + 30_000), 'immediate', fallback, now)).toBe(0);
    expect(restampMisdatedFiles(spoolWith(now + 5 * 60_000), 'immediate', fallback, now)).toBe(1);
  });

  it('moves a file written while the clock was not set (1970) to now as well', () => {
    const now = Date.now();
    const spool = spoolWith(3 * 86_400_000);
    expect(restampMisdatedFiles(spool, 'hourly', fallback, now)).toBe(1);
    const [file] = spoolFiles(readdirSync(spool));
    expect(file!.at).toBe(now);
    expect(readSpoolFile(spool, file!).records.map((r) => r.time)).toEqual([now + 5]);
  });

  it('never brings back a spool deleted meanwhile', () => {
    const now = Date.now();
    const spool = spoolWith(now + YEAR);
    rmSync(spool, { recursive: true });
    expect(restampMisdatedFiles(spool, 'hourly', fallback, now)).toBe(0);
    expect(() => readdirSync(spool)).toThrow();
  });

  it('keeps the count of damaged lines when it moves a truncated file', () => {
    const now = Date.now();
    const spool = spoolWith(now + YEAR);
    const [name] = readdirSync(spool);
    const parsed = parseSpoolFileName(name!)!;
    // Claim one more occurrence than the file holds: the reader counts it as damaged.
    renameSync(join(spool, name!), join(spool, name!.replace(/-1e-/, '-2e-')));
    expect(parsed.events).toBe(1);
    restampMisdatedFiles(spool, 'hourly', fallback, now);
    const [file] = spoolFiles(readdirSync(spool));
    expect(readSpoolFile(spool, file!).records.map((r) => [r.name, r.count ?? 1])).toEqual([['todo.cli.invoked', 1], ['todo.telemetry.dropped', 1]]);
  });
});
