import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectDiag } from '../../src/diag.js';
import type { EventRecord } from '../../src/recorder/event-record.js';
import { appendToSpool } from '../../src/spool/append.js';
import { claimFiles, recoverStaleClaims, releaseClaim } from '../../src/spool/claim.js';
import { parseSpoolFileName, spoolFiles } from '../../src/spool/file-name.js';
import { readSpoolFile } from '../../src/spool/read.js';
import { ROOT } from '../support/run-example.js';

const dir = () => join(mkdtempSync(join(tmpdir(), 'optel-spool-')), 'spool');
const header = (at: number) => ({ optel: 1 as const, app: 'todo', version: '1.0.0', installationId: 'i', at });
const records = (n: number, at = 1_000): EventRecord[] =>
  Array.from({ length: n }, (_, i) => ({ name: 'todo.cli.invoked', time: at + i, attrs: { 'cli.command': 'add', n: i }, tiers: ['metrics'] }));

describe('appendToSpool', () => {
  it('writes one whole file per batch, named with its time, event count and size', () => {
    const spool = dir();
    const { file } = appendToSpool(spool, header(1_700_000_000_000), records(3));
    const parsed = parseSpoolFileName(file!)!;
    expect(parsed).toMatchObject({ at: 1_700_000_000_000, events: 3 });
    expect(parsed.bytes).toBe(readFileSync(join(spool, file!)).length);
    expect(readSpoolFile(spool, parsed).records).toHaveLength(3);
    expect(readdirSync(spool).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('drops the oldest files first to stay under the cap, and records how many occurrences it dropped', () => {
    const spool = dir();
    for (let i = 0; i < 10; i++) appendToSpool(spool, header(1_700_000_000_000 + i), records(20), 8_000);
    const files = spoolFiles(readdirSync(spool));
    expect(files.reduce((n, f) => n + f.bytes, 0)).toBeLessThanOrEqual(8_000);
    expect(files[0]!.at).toBeGreaterThan(1_700_000_000_000);
    const all = files.flatMap((f) => readSpoolFile(spool, f).records);
    const dropped = all.filter((r) => r.name === 'todo.telemetry.dropped').reduce((n, r) => n + (r.count ?? 1), 0);
    const kept = all.filter((r) => r.name === 'todo.cli.invoked').length;
    expect(kept + dropped).toBe(200);
    expect(all.find((r) => r.name === 'todo.telemetry.dropped')?.attrs).toEqual({ reason: 'spool_full' });
  });

  it('keeps the newest records of a single batch larger than the whole cap, and says on diag how many it dropped', () => {
    const spool = dir();
    const { lines } = collectDiag(() => appendToSpool(spool, header(1_700_000_000_000), records(500), 4_000));
    const [file] = spoolFiles(readdirSync(spool));
    const got = readSpoolFile(spool, file!).records;
    const kept = got.filter((r) => r.name === 'todo.cli.invoked');
    expect(kept.at(-1)!.attrs.n).toBe(499);
    const dropped = got.find((r) => r.name === 'todo.telemetry.dropped')!.count!;
    expect(kept.length + dropped).toBe(500);
    expect(lines).toEqual([`optel: spool over its 4000-byte cap: dropped ${dropped} occurrences, oldest first`]);
  });

  it('never tears or loses a line when many processes append at once', async () => {
    const spool = dir();
    const script = join(mkdtempSync(join(tmpdir(), 'optel-writer-')), 'w.mjs');
    writeFileSync(script, `import { appendToSpool } from ${JSON.stringify(join(ROOT, 'dist', 'spool', 'append.js'))};
      const [spool, id] = process.argv.slice(2);
      for (let b = 0; b < 20; b++) appendToSpool(spool, { optel: 1, app: 'todo', version: '1', installationId: id, at: Date.now() },
        Array.from({ length: 10 }, (_, i) => ({ name: 'todo.cli.invoked', time: Date.now(), attrs: { w: id, b, i }, tiers: ['metrics'] })));\n`);
    await Promise.all(Array.from({ length: 8 }, (_, w) => new Promise((resolve) => spawn(process.execPath, [script, spool, String(w)]).on('exit', resolve))));
    const files = spoolFiles(readdirSync(spool));
    const contents = files.map((f) => readSpoolFile(spool, f));
    expect(contents.every((c) => c.corrupt === 0 && c.header !== undefined)).toBe(true);
    expect(contents.reduce((n, c) => n + c.records.length, 0)).toBe(8 * 20 * 10);
  });
});

describe('claims', () => {
  it('hands each file to exactly one of several claimers', () => {
    const spool = dir();
    for (let i = 0; i < 30; i++) appendToSpool(spool, header(1_700_000_000_000 + i), records(1));
    const a = claimFiles(spool, () => true, 2_000);
    const b = claimFiles(spool, () => true);
    const names = [...(a?.files ?? []), ...(b?.files ?? [])].map((f) => f.name);
    expect(new Set(names).size).toBe(30);
    expect(names).toHaveLength(30);
    expect(claimFiles(spool, () => true)).toBeUndefined();
  });

  it('puts a released claim back, and deletes the claim', () => {
    const spool = dir();
    appendToSpool(spool, header(1), records(1));
    appendToSpool(spool, header(2), records(1));
    const claim = claimFiles(spool, (f) => f.at === 1)!;
    releaseClaim(spool, claim.dir);
    expect(spoolFiles(readdirSync(spool))).toHaveLength(2);
    expect(existsSync(claim.dir)).toBe(false);
  });

  it('removes a superseded entry that is a directory, without throwing (a crash there stopped every later sender)', () => {
    const spool = dir();
    appendToSpool(spool, header(1), records(1));
    const claim = claimFiles(spool, () => true)!;
    const planted = parseSpoolFileName(claim.files[0]!.name)!.name.replace(/^\d{13}/, '0000000000002');
    mkdirSync(join(claim.dir, planted));
    appendToSpool(claim.dir, { ...header(1), supersedes: [planted] }, records(1), Infinity, false);
    expect(() => releaseClaim(spool, claim.dir)).not.toThrow();
    expect(existsSync(join(spool, planted))).toBe(false);
    expect(spoolFiles(readdirSync(spool)).reduce((n, f) => n + f.events, 0)).toBe(2);
  });

  it('puts back only what a file in the claim has not superseded (a sender killed before deleting what it replaced)', () => {
    const spool = dir();
    appendToSpool(spool, header(1), records(3));
    const claim = claimFiles(spool, () => true)!;
    const original = claim.files[0]!.name;
    // What a sender writes once part of it was sent: the rest, naming the file it replaces.
    const rest = appendToSpool(claim.dir, { ...header(1), supersedes: [original] }, records(1), Infinity, false).file!;
    // An empty one marks a whole file sent; a damaged list replaces nothing.
    appendToSpool(claim.dir, { ...header(1), supersedes: [rest, 'not-a-spool-file'] }, [], Infinity, false);
    releaseClaim(spool, claim.dir);
    const back = spoolFiles(readdirSync(spool));
    expect(back.map((f) => f.name)).not.toContain(original);
    expect(back.map((f) => f.name)).toContain(rest);
    expect(back.reduce((n, f) => n + f.events, 0)).toBe(1);
  });

  it('merges back a claim whose owner is gone, but not one that is alive and young', () => {
    const spool = dir();
    appendToSpool(spool, header(1), records(1));
    const mine = claimFiles(spool, () => true)!;
    expect(recoverStaleClaims(spool)).toBe(0);
    // A claim named after a pid that does not exist is a dead sender's.
    const dead = mine.dir.replace(/-\d+$/, '-999999999');
    renameSync(mine.dir, dead);
    expect(recoverStaleClaims(spool)).toBe(1);
    expect(spoolFiles(readdirSync(spool))).toHaveLength(1);
  });
});
