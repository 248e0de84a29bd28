import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendToSpool } from '../../src/spool/append.js';
import { recoverStaleClaims, releaseClaim } from '../../src/spool/claim.js';
import { spoolFileName } from '../../src/spool/file-name.js';

const header = { optel: 1 as const, app: 'todo', version: '1.0.0', installationId: 'i', at: 1_000 };

/** A spool with one real file, and a user's own folder next to it holding files that must never move. */
function world() {
  const root = mkdtempSync(join(tmpdir(), 'optel-claim-'));
  const spool = join(root, 'spool');
  appendToSpool(spool, header, [{ name: 'todo.cli.invoked', time: 1_000, attrs: {}, tiers: ['metrics'] }]);
  const documents = join(root, 'Documents');
  mkdirSync(documents);
  writeFileSync(join(documents, 'thesis.tex'), 'chapter one');
  // Named like a spool file, so only its kind (a user's file, reached through a link) can tell.
  const lookalike = spoolFileName(2_000, 1, 11);
  writeFileSync(join(documents, lookalike), 'not a spool');
  const spoolNames = () => readdirSync(spool).filter((n) => !n.startsWith('.'));
  const untouched = () => {
    expect(readdirSync(documents).sort()).toEqual(['thesis.tex', lookalike].sort());
    expect(readFileSync(join(documents, 'thesis.tex'), 'utf8')).toBe('chapter one');
  };
  return { root, spool, documents, lookalike, spoolNames, untouched };
}

/** A live process that is not this one: what a reused pid looks like. */
function livePid(): { pid: number; stop: () => void } {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  return { pid: child.pid as number, stop: () => child.kill() };
}

describe('recoverStaleClaims', () => {
  it('removes a claim that is a symlink (to the user\'s folder) without moving anything it points to', () => {
    const w = world();
    const before = w.spoolNames();
    mkdirSync(join(w.spool, '.claims'));
    symlinkSync(w.documents, join(w.spool, '.claims', `${Date.now()}-999999`));
    recoverStaleClaims(w.spool);
    w.untouched();
    expect(w.spoolNames()).toEqual(before);
    expect(readdirSync(join(w.spool, '.claims'))).toEqual([]);
  });

  it('reads nothing through a .claims that is a symlink, and leaves what it points to alone', () => {
    const w = world();
    const mine = spoolFileName(3_000, 1, 5);
    mkdirSync(join(w.documents, '1000-999999'));
    writeFileSync(join(w.documents, '1000-999999', mine), 'mine');
    symlinkSync(w.documents, join(w.spool, '.claims'));
    expect(recoverStaleClaims(w.spool)).toBe(0);
    expect(existsSync(join(w.spool, '.claims'))).toBe(false);
    expect(readFileSync(join(w.documents, '1000-999999', mine), 'utf8')).toBe('mine');
  });

  it('leaves entries that are not named like a claim', () => {
    const w = world();
    mkdirSync(join(w.spool, '.claims', 'notes'), { recursive: true });
    writeFileSync(join(w.spool, '.claims', 'notes', spoolFileName(4_000, 1, 5)), 'x');
    recoverStaleClaims(w.spool);
    expect(readdirSync(join(w.spool, '.claims', 'notes'))).toHaveLength(1);
  });

  it('merges back a claim stamped in the future (the clock was ahead) even when its pid is alive again', () => {
    const w = world();
    const other = livePid();
    try {
      const claim = join(w.spool, '.claims', `${Date.now() + 365 * 86_400_000}-${other.pid}`);
      mkdirSync(claim, { recursive: true });
      const held = spoolFileName(5_000, 1, 5);
      writeFileSync(join(claim, held), 'held');
      const fresh = join(w.spool, '.claims', `${Date.now()}-${other.pid}`);
      mkdirSync(fresh);
      expect(recoverStaleClaims(w.spool)).toBe(1);
      expect(w.spoolNames()).toContain(held);
      // A live sender's claim made just now is still its own.
      expect(existsSync(fresh)).toBe(true);
    } finally {
      other.stop();
    }
  });
});

describe('releaseClaim', () => {
  it('puts back regular spool files only: a symlink or a stranger under a claim goes with the claim', () => {
    const w = world();
    const claim = join(w.spool, '.claims', `1000-${process.pid}`);
    mkdirSync(claim, { recursive: true });
    const ours = spoolFileName(6_000, 1, 5);
    const link = spoolFileName(7_000, 1, 5);
    writeFileSync(join(claim, ours), 'ours');
    symlinkSync(join(w.documents, w.lookalike), join(claim, link));
    writeFileSync(join(claim, 'stray.txt'), 'x');
    releaseClaim(w.spool, claim);
    expect(w.spoolNames()).toContain(ours);
    expect(w.spoolNames()).not.toContain(link);
    expect(w.spoolNames()).not.toContain('stray.txt');
    expect(existsSync(claim)).toBe(false);
    w.untouched();
  });
});
