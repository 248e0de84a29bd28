import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatInspect } from '../../src/cli/inspect.js';
import { appendToSpool } from '../../src/spool/append.js';
import { inspectSpool } from '../../src/spool/inspect.js';

const AT = 1_700_000_000_000;
const header = { optel: 1 as const, app: 'todo', version: '1.0.0', installationId: 'i', at: AT };

describe('inspectSpool', () => {
  it('treats "__proto__" as just another event name and attribute key (no crash, no prototype changed)', () => {
    const spool = join(mkdtempSync(join(tmpdir(), 'optel-inspect-')), 'spool');
    appendToSpool(spool, header, [
      { name: '__proto__', time: AT, attrs: { __proto__: 1 } as Record<string, number>, tiers: ['metrics'] },
      { name: 'polluted', time: AT, attrs: JSON.parse('{"__proto__": "x", "constructor": "y"}') as Record<string, string>, tiers: ['metrics'] },
    ]);
    const summary = inspectSpool(spool, 'hourly', { now: AT });
    const events = summary.windows[0]!.events;
    expect(Object.keys(events).sort()).toEqual(['__proto__', 'polluted']);
    const attributes = events.polluted!.attributes;
    expect(Object.keys(attributes).sort()).toEqual(['__proto__', 'constructor']);
    expect(JSON.stringify(attributes)).toBe('{"__proto__":{"x":1},"constructor":{"y":1}}');
    expect(({} as Record<string, unknown>).count).toBeUndefined();
    expect(JSON.parse(JSON.stringify(summary)).windows[0].events.__proto__.count).toBe(1);
  });

  it('prints what the spool holds without letting it act on the terminal', () => {
    const spool = join(mkdtempSync(join(tmpdir(), 'optel-inspect-')), 'spool');
    appendToSpool(spool, header, [{ name: 'todo.item.added', time: AT, attrs: {}, extra: { text: 'milk\u001b]0;PWNED\u0007\u001b[2K\r\n  todo.cli.invoked   999  [metrics]\u202e' }, tiers: ['events'] }]);
    const text = formatInspect(inspectSpool(spool, 'hourly', { now: AT }));
    expect(text).toContain('text: milk\\x1b]0;PWNED\\x07\\x1b[2K\\x0d\\x0a  todo.cli.invoked   999  [metrics]\\u202e×1');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(text.split('\n').filter((line) => line.trimStart().startsWith('todo.cli.invoked'))).toEqual([]);
  });

  it('counts attribute values per occurrence, as the event total does', () => {
    const spool = newSpool();
    appendToSpool(spool, header, [{ name: 'todo.telemetry.dropped', time: AT, attrs: { reason: 'corrupt' }, tiers: ['metrics'], count: 5 }]);
    const event = inspectSpool(spool, 'hourly', { now: AT }).windows[0]!.events['todo.telemetry.dropped']!;
    expect(event.count).toBe(5);
    expect(event.attributes.reason).toEqual({ corrupt: 5 });
    expect(formatInspect(inspectSpool(spool, 'hourly', { now: AT }))).toContain('reason: corrupt×5');
  });

  it('leaves out the tiers consent no longer allows, as the sender does, and says they will not be sent', () => {
    const spool = newSpool();
    appendToSpool(spool, header, [
      { name: 'todo.item.added', time: AT, attrs: { 'list.size': '1-10' }, extra: { text: 'secret words' }, tiers: ['metrics', 'events'] },
      { name: 'todo.cli.invoked', time: AT, duration: 0.1, attrs: {}, tiers: ['traces'], count: 2 },
    ]);
    const summary = inspectSpool(spool, 'hourly', { now: AT, tiers: () => ({ metrics: true, events: false, traces: false }) });
    const window = summary.windows[0]!;
    expect(Object.keys(window.events)).toEqual(['todo.item.added']);
    // Without its events tier the record travels as a metric only, and a metric never carries events-only attributes.
    expect(window.events['todo.item.added']).toEqual({ count: 1, tiers: ['metrics'], attributes: { 'list.size': { '1-10': 1 } } });
    expect(window.withdrawn).toEqual({ events: 1, traces: 2 });
    const text = formatInspect(summary);
    expect(text).not.toContain('secret words');
    expect(text).toContain('not sent: 1 occurrence in the events tier, 2 in the traces tier (withdrawn since they were recorded)');
  });

  it('shows an immediate spool as one batch ready to send, dated by its files, not as hourly windows', () => {
    const spool = newSpool();
    appendToSpool(spool, header, [{ name: 'todo.cli.invoked', time: AT, attrs: {}, tiers: ['metrics'] }]);
    appendToSpool(spool, { ...header, at: AT + 2 * 3_600_000 }, [{ name: 'todo.cli.invoked', time: AT, attrs: {}, tiers: ['metrics'] }]);
    const summary = inspectSpool(spool, 'immediate', { now: AT + 2 * 3_600_000 });
    expect(summary.windows).toHaveLength(1);
    const text = formatInspect(summary);
    expect(text).toContain('written 2023-11-14 22:13 – 2023-11-15 00:13 UTC  ready to send  (2 files, ');
    expect(text).not.toContain('window');
    const one = newSpool();
    appendToSpool(one, header, [{ name: 'todo.cli.invoked', time: AT, attrs: {}, tiers: ['metrics'] }]);
    expect(formatInspect(inspectSpool(one, 'hourly', { now: AT }))).toContain('window still open  (1 file, ');
    // Ended, but a sender waits a few seconds for the last files of its runs to land.
    const end = Math.ceil(AT / 3_600_000) * 3_600_000;
    expect(formatInspect(inspectSpool(one, 'hourly', { now: end + 1000 }))).toContain('window just ended: ready to send in a few seconds  (1 file, ');
    expect(formatInspect(inspectSpool(one, 'hourly', { now: end + 10_000 }))).toContain('ready to send  (1 file, ');
  });

  it('shows the back-off a sender would honour, and none that it would ignore (too long, or damaged)', () => {
    const spool = newSpool();
    appendToSpool(spool, header, [{ name: 'todo.cli.invoked', time: AT, attrs: {}, tiers: ['metrics'] }]);
    const backoff = (content: object) => writeFileSync(join(spool, '.backoff.json'), JSON.stringify(content));
    backoff({ failures: 3, until: AT + 4_000 });
    expect(inspectSpool(spool, 'hourly', { now: AT }).backoff).toEqual({ failures: 3, until: AT + 4_000 });
    expect(formatInspect(inspectSpool(spool, 'hourly', { now: AT }))).toContain('delivery is backing off after 3 failures until 2023-11-14T22:13:24.000Z');
    for (const ignored of [{ failures: 3, until: 9e15 }, { failures: 1, until: AT + 86_400_000 }, { failures: -1, until: AT + 4_000 }]) {
      backoff(ignored);
      const summary = inspectSpool(spool, 'hourly', { now: AT });
      expect(summary.backoff).toBeUndefined();
      expect(formatInspect(summary)).not.toContain('backing off');
    }
  });

  it('refuses a spool path that is not a directory, rather than call it empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-inspect-'));
    writeFileSync(join(dir, 'spool'), '');
    expect(() => inspectSpool(join(dir, 'spool'), 'hourly')).toThrow(`${join(dir, 'spool')} is not a directory`);
    mkdirSync(join(dir, 'state'));
    expect(inspectSpool(join(dir, 'state', 'spool'), 'hourly').exists).toBe(false);
  });
});

function newSpool(): string {
  return join(mkdtempSync(join(tmpdir(), 'optel-inspect-')), 'spool');
}
