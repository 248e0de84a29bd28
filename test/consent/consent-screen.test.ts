import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/cli/load-catalog.js';
import { consentScreen } from '../../src/consent/consent-screen.js';
import { attr, defineCatalog } from '../../src/semconv/index.js';
import { ROOT } from '../support/run-example.js';

const { catalog } = await loadCatalog(join(ROOT, 'examples', 'todo', 'catalog.mjs'));
const ask = { tiers: ['metrics', 'events'] as const, defaultYes: true, docsUrl: 'https://example.com/todo/TELEMETRY.md' };

describe('the consent screen', () => {
  it('lists every todo event with its description, one line each', () => {
    const { text } = consentScreen(catalog, ask);
    const lines = text.split('\n');
    for (const [name, event] of Object.entries(catalog.events)) {
      const line = lines.find((l) => l.trimStart().startsWith(`${name} `));
      expect(line, name).toBeDefined();
      expect(line).toContain(event.description.replace(/ \(.*$/, ''));
    }
  });

  it('fits on one screen: about 20 lines and 80 columns for the todo catalog', () => {
    const { text, question } = consentScreen(catalog, ask);
    const lines = `${text}${question}`.split('\n');
    expect(lines.length).toBeLessThanOrEqual(22);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('says what records add beyond counts, from the catalog', () => {
    const { text } = consentScreen(catalog, ask);
    expect(text).toContain('Records may also carry text (text) and item.id (hashed id).');
    expect(consentScreen(catalog, { ...ask, tiers: ['metrics'] }).text).not.toContain('Records may also carry');
  });

  it('names what is never collected and every way to change the answer later', () => {
    const { text } = consentScreen(catalog, ask);
    // The todo catalog sends an item's text in the events tier: no promise about names or paths, only what the redactor does.
    expect(text).toContain('Never: code, host or user names, IP addresses or error messages.\nText it may send is capped and redacted');
    expect(text).not.toContain('file names or paths');
    // Asked for metrics only, no free text can go out: the full promise holds.
    expect(consentScreen(catalog, { ...ask, tiers: ['metrics'] }).text).toContain('Never: code, file names or paths, arguments, host or user names');
    expect(text).toContain('`todo telemetry on|off`, TODO_TELEMETRY=0 or DO_NOT_TRACK=1');
    expect(text).toContain('https://example.com/todo/TELEMETRY.md');
    expect(consentScreen(catalog, { ...ask, command: 'todo privacy' }).text).toContain('`todo privacy on|off`');
  });

  it("shows the author's default in the question", () => {
    expect(consentScreen(catalog, ask).question).toBe('Send usage metrics and events to the todo authors? [Y/n] ');
    expect(consentScreen(catalog, { ...ask, defaultYes: false }).question).toMatch(/\[y\/N\] $/);
  });

  it('asks about traces only when told to, and lists only events the asked tiers carry', () => {
    expect(consentScreen(catalog, ask).text).not.toContain('(traces)');
    const withTraces = consentScreen(catalog, { ...ask, tiers: ['metrics', 'events', 'traces'] });
    expect(withTraces.question).toContain('metrics, events and traces');
    expect(withTraces.text).toContain('a span per command (traces)');
    const eventsOnly = consentScreen(catalog, { ...ask, tiers: ['events'] }).text;
    expect(eventsOnly).toContain('todo.item.added');
    expect(eventsOnly).not.toContain('todo.install.first_run');
  });

  it('cuts a long catalog to twelve events and points to the full list', () => {
    const events = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`big.area.event_${i}`, { description: `Event ${i}.`, attributes: { n: attr.int({ min: 0, max: 9 }) } }]),
    );
    const { text } = consentScreen(defineCatalog({ app: 'big', events }), { tiers: ['metrics'], defaultYes: false });
    expect(text.match(/big\.area\.event_\d+/g)).toHaveLength(12);
    expect(text).toContain('…and 19 more (`optel docs` lists them all)');
  });

  it('keeps each event on one line of a narrow terminal', () => {
    const { text } = consentScreen(catalog, { ...ask, columns: 60 });
    const eventLines = text.split('\n').filter((l) => l.startsWith('  todo.'));
    for (const line of eventLines) expect(line.length).toBeLessThanOrEqual(60);
  });
});
