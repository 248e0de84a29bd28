import { describe, expect, it } from 'vitest';
import { unlinkable } from '../../src/bug-report/unlinkable.js';
import { createHasher, newSalt } from '../../src/privacy/hash.js';
import { NOON, record } from '../history/records.js';

const hash = createHasher(newSalt());
const HASHED = /^[0-9a-f]{32}$/;

describe('unlinkable', () => {
  const project = hash('/home/alice/acme');
  const other = hash('/home/alice/other');
  const records = [
    { ...record('demo.cli.run', NOON + 123, { command: 'build' }), duration: 1.2345678 },
    record('demo.note.added', NOON + 1_499, {}, { project, text: 'call bob' }),
    record('demo.note.added', NOON + 61_700, {}, { project: other }),
    record('demo.note.added', NOON + 3_600_501, {}, { project }),
  ];

  it('hashes hashed ids again with a key of its own: they join within one report, never with what was sent', () => {
    const [, a, b, c] = unlinkable(records);
    expect(a!.extra!.project).toMatch(HASHED); // the shape the validators accept
    expect(a!.extra!.project).not.toBe(project);
    expect(c!.extra!.project).toBe(a!.extra!.project);
    expect(b!.extra!.project).not.toBe(a!.extra!.project);
    expect(a!.extra!.text).toBe('call bob');
    // A second report of the same history gets another key.
    expect(unlinkable(records)[1]!.extra!.project).not.toBe(a!.extra!.project);
  });

  it('counts time from the first event, to the second, and keeps durations to the millisecond', () => {
    const out = unlinkable(records);
    expect(out.map((r) => r.time)).toEqual([0, 1_000, 62_000, 3_600_000]);
    expect(out[0]).toEqual({ name: 'demo.cli.run', time: 0, duration: 1.235, attrs: { command: 'build' }, tiers: ['metrics'] });
  });

  it('makes nothing of an empty history', () => {
    expect(unlinkable([])).toEqual([]);
  });
});
