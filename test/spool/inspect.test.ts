import { mkdtempSync } from 'node:fs';
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
    const summary = inspectSpool(spool, 'hourly', AT);
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
    appendToSpool(spool, header, [{ name: 'todo.item.added', time: AT, attrs: {}, extra: { text: 'milk\u001b]0;PWNED\u0007\u001b[2K\r' }, tiers: ['events'] }]);
    const text = formatInspect(inspectSpool(spool, 'hourly', AT));
    expect(text).toContain('text: milk\\x1b]0;PWNED\\x07\\x1b[2K\\x0d×1');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});
