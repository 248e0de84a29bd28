import { describe, expect, it } from 'vitest';
import { carriesFreeText, noticeText } from '../../src/config/notice.js';
import { attr, defineCatalog } from '../../src/index.js';

const catalog = defineCatalog({
  app: 'todo',
  events: {
    'todo.cli.invoked': { description: 'A command ran.', attributes: { 'cli.command': attr.enum(['add']) } },
    'todo.item.added': { description: 'An item was added.', attributes: { text: attr.text({ maxLength: 80 }) } },
  },
});
const on = (metrics: boolean, events: boolean) => ({ metrics, events, traces: false });

describe('the first-run notice', () => {
  it('names what is on in plain words and every way out', () => {
    expect(noticeText('todo', on(true, true))).toBe(
      'todo collects anonymous usage counts and timings and individual usage events to improve the tool; never code, file paths, names, ' +
      'host names or IP addresses. Opt out with `todo telemetry off`, TODO_TELEMETRY=0 or DO_NOT_TRACK=1.',
    );
  });

  it('names no command when the app has none (a server): only the variables', () => {
    expect(noticeText('todo', on(true, false), { command: false })).toMatch(/\. Opt out with TODO_TELEMETRY=0 or DO_NOT_TRACK=1\.$/);
  });

  it('says which tiers an administrator\'s policy keeps on, rather than offering an "off" that cannot turn them off', () => {
    expect(noticeText('todo', on(true, false), {}, false, ['metrics'])).toBe(
      'todo collects anonymous usage counts and timings to improve the tool; never code, file paths, names, host names or IP addresses. ' +
      "An administrator's policy keeps anonymous usage counts and timings on: TODO_TELEMETRY=0 or DO_NOT_TRACK=1 turn everything off.",
    );
    expect(noticeText('todo', on(true, true), {}, false, ['metrics'])).toMatch(
      /\. An administrator's policy keeps anonymous usage counts and timings on: `todo telemetry off` turns off the rest, and TODO_TELEMETRY=0 or DO_NOT_TRACK=1 turn everything off\.$/,
    );
    // A tier the policy would keep on but that is off is not named.
    expect(noticeText('todo', on(true, false), {}, false, ['events'])).toMatch(/\. Opt out with `todo telemetry off`, TODO_TELEMETRY=0 or DO_NOT_TRACK=1\.$/);
  });

  it('promises only what the redactor does when what is on may carry free text', () => {
    const text = noticeText('todo', on(true, true), {}, true);
    expect(text).toContain('; never code, host names or IP addresses, and text it sends is capped and redacted.');
    expect(text).not.toContain('file paths, names');
  });

  it('knows free text travels only with a text attribute on a tier beyond metrics that is on', () => {
    expect(carriesFreeText(catalog, on(true, true))).toBe(true);
    expect(carriesFreeText(catalog, on(true, false))).toBe(false);
    expect(carriesFreeText(defineCatalog({ app: 'x', events: { 'x.a.b': { description: 'd' } } }), on(true, true))).toBe(false);
  });
});
