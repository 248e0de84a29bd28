import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendToSpool } from '../../src/spool/append.js';
import { claimFiles, recoverStaleClaims } from '../../src/spool/claim.js';
import { acquireSenderLock, holdsSenderLock, refreshSenderLock, releaseSenderLock, senderRunning } from '../../src/spool/lock.js';
import { ROOT } from '../support/run-example.js';
import { startTogether } from '../support/together.js';

const MINUTE = 60_000;
const spool = () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'optel-lock-')), 'spool');
  mkdirSync(dir, { recursive: true });
  return dir;
};

describe('the sender lock', () => {
  it('stays held by a sender that renews it, however long it runs', () => {
    const dir = spool();
    const t0 = 1_700_000_000_000;
    expect(acquireSenderLock(dir, t0)).toBe(true);
    // Without renewal, five minutes make it look stale and another sender may take it over.
    expect(senderRunning(dir, t0 + 6 * MINUTE)).toBe(false);
    refreshSenderLock(dir, t0 + 5 * MINUTE);
    expect(senderRunning(dir, t0 + 6 * MINUTE)).toBe(true);
    expect(holdsSenderLock(dir)).toBe(true);
    releaseSenderLock(dir);
    expect(holdsSenderLock(dir)).toBe(false);
  });

  it('written while the clock was ahead, is restamped to now: kept from a live holder, taken 5 minutes later from a reused pid', () => {
    const dir = spool();
    const now = Date.now();
    // Our parent stands in for a live sender whose clock stepped back, or an unrelated process that reused a dead sender's pid.
    const lock = (at: number) => writeFileSync(join(dir, '.sender.lock'), JSON.stringify({ pid: process.ppid, at }));
    lock(now + 30_000);
    expect(senderRunning(dir, now)).toBe(true);
    lock(now + 365 * 24 * 60 * MINUTE);
    expect(senderRunning(dir, now)).toBe(true);
    expect(acquireSenderLock(dir, now)).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, '.sender.lock'), 'utf8'))).toEqual({ pid: process.ppid, at: now });
    // Nobody renewed it (a live sender does every 30 s): stale, as any lock would be.
    expect(acquireSenderLock(dir, now + 6 * MINUTE)).toBe(true);
    expect(holdsSenderLock(dir)).toBe(true);
  });
});

describe('taking over a stale lock', () => {
  const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number;

  /** Six processes that saw the same stale lock try to take it at the same moment; how many think they hold it. */
  async function race(dir: string): Promise<number> {
    const script = join(mkdtempSync(join(tmpdir(), 'optel-taker-')), 't.mjs');
    // Each taker says when it is loaded, is given one start time for all, and stays alive until every
    // taker has answered: a winner that ended early would leave a late taker a dead sender's lock to take.
    writeFileSync(script, `import { acquireSenderLock } from ${JSON.stringify(join(ROOT, 'dist', 'spool', 'lock.js'))};
      const dir = process.argv[2];
      process.stdin.once('data', (start) => {
        while (Date.now() < Number(start));
        const won = acquireSenderLock(dir);
        process.stdout.write(won ? 'won' : 'lost');
      });
      process.stdin.on('end', () => process.exit(0));
      process.stdout.write('ready');\n`);
    const { answers: outcomes, pids, done } = await startTogether(script, [dir], 6);
    // Asked while every taker is alive: a winner ousted by a second taker would have thought it held the lock too.
    const holder = JSON.parse(readFileSync(join(dir, '.sender.lock'), 'utf8')).pid as number;
    done();
    expect(pids.map((pid, i) => outcomes[i] === 'won' && pid === holder)).toContain(true);
    return outcomes.filter((o) => o === 'won').length;
  }

  it('has exactly one winner however many senders race for it', async () => {
    for (let round = 0; round < 4; round++) {
      const dir = spool();
      writeFileSync(join(dir, '.sender.lock'), JSON.stringify({ pid: deadPid(), at: Date.now() }));
      expect(await race(dir)).toBe(1);
    }
  }, 30_000);

  it('is not held up for long by a taker that died holding the takeover marker', () => {
    const dir = spool();
    writeFileSync(join(dir, '.sender.lock'), JSON.stringify({ pid: deadPid(), at: Date.now() }));
    const marker = join(dir, '.sender.lock.takeover');
    writeFileSync(marker, String(deadPid()));
    expect(acquireSenderLock(dir)).toBe(false);
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(marker, old, old);
    // The first look clears the abandoned marker; the next takes the lock.
    expect(acquireSenderLock(dir)).toBe(false);
    expect(acquireSenderLock(dir)).toBe(true);
    expect(readdirSync(dir)).toEqual(['.sender.lock']);
  });
});

describe('claims of other senders', () => {
  it('leaves the claim of a live sender alone for an hour (merging it back would send its files twice)', () => {
    const dir = spool();
    const at = Date.now();
    appendToSpool(dir, { optel: 1, app: 'todo', version: '1', installationId: 'i', at }, [{ name: 'todo.cli.invoked', time: at, attrs: {}, tiers: ['metrics'] }]);
    const claim = claimFiles(dir, () => true, 1 << 20)!;
    // Make it the claim of another live process (our parent), taken at `at`.
    renameSync(claim.dir, join(dirname(claim.dir), `${at}-${process.ppid}`));
    expect(recoverStaleClaims(dir, at + 20 * MINUTE)).toBe(0);
    expect(readdirSync(dir).filter((n) => n.endsWith('.jsonl'))).toEqual([]);
    // Past the hour it is taken for hung (or its pid for reused) and merged back.
    expect(recoverStaleClaims(dir, at + 61 * MINUTE)).toBe(1);
    expect(readdirSync(dir).filter((n) => n.endsWith('.jsonl'))).toHaveLength(1);
  });
});
