import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/recorder/event-record.js';
import { appendToSpool } from '../../src/spool/append.js';
import { claimFiles } from '../../src/spool/claim.js';
import { spoolFiles } from '../../src/spool/file-name.js';
import { readSpoolFile } from '../../src/spool/read.js';
import { withdrawTiers } from '../../src/spool/withdraw.js';

const HOUR = 3_600_000;
const AT = Date.UTC(2026, 0, 5, 10, 30);

function spoolWith(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'optel-withdraw-')), 'spool');
  mkdirSync(dir, { recursive: true });
  const header = (at: number) => ({ optel: 1 as const, app: 'demo', version: '1', installationId: 'i', at });
  const note: EventRecord = { name: 'demo.note.added', time: AT, attrs: { ok: true }, extra: { text: 'call the dentist' }, tiers: ['metrics', 'events'] };
  const run: EventRecord = { name: 'demo.cli.run', time: AT, attrs: { ok: true }, tiers: ['metrics'] };
  const trace: EventRecord = { name: 'demo.cli.run', time: AT, duration: 1, attrs: {}, tiers: ['traces'] };
  appendToSpool(dir, header(AT), [note, run]);
  appendToSpool(dir, header(AT + HOUR), [run]);
  appendToSpool(dir, header(AT + 2 * HOUR), [trace]);
  return dir;
}

const contents = (dir: string) => spoolFiles(readdirSync(dir)).map((f) => ({ at: f.at, records: readSpoolFile(dir, f).records }));

describe('withdrawTiers', () => {
  it('cuts each file to the tiers left, under its own window, and leaves untouched files as they are', () => {
    const dir = spoolWith();
    const untouched = spoolFiles(readdirSync(dir)).find((f) => f.at === AT + HOUR)!.name;
    expect(withdrawTiers(dir, (t) => t === 'metrics')).toBe(2);
    const after = contents(dir);
    expect(after.map((f) => f.at).sort()).toEqual([AT, AT + HOUR]);
    expect(JSON.stringify(after)).not.toContain('dentist');
    expect(after.find((f) => f.at === AT)!.records.map((r) => [r.name, r.tiers])).toEqual([['demo.note.added', ['metrics']], ['demo.cli.run', ['metrics']]]);
    expect(readdirSync(dir)).toContain(untouched);
  });

  it('leaves files a sender has claimed to it (it applies the consent as it sends), and leaves no claim of its own', () => {
    const dir = spoolWith();
    const sender = claimFiles(dir, (f) => f.at === AT)!;
    expect(withdrawTiers(dir, (t) => t === 'metrics')).toBe(1);
    expect(JSON.stringify(readSpoolFile(sender.dir, sender.files[0]!))).toContain('dentist');
    expect(readdirSync(join(dir, '.claims'))).toEqual([basename(sender.dir)]);
  });
});
