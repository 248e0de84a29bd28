import { describe, expect, it } from 'vitest';
import { code } from '../../src/generate/describe-attribute.js';
import { renderTelemetryMd } from '../../src/generate/telemetry-md.js';
import { attr, defineCatalog } from '../../src/semconv/index.js';

const odd = defineCatalog({
  app: 'odd',
  events: {
    'odd.cli.ran': {
      description: 'Runs. <!-- everything after this would be hidden',
      attributes: { mode: attr.enum(['a`b', 'e\nf', 'pipe|d'], { description: 'one\r| two' }) },
    },
  },
  docs: { contact: 'Write to <us>.' },
});

describe('TELEMETRY.md for catalog text that is not plain', () => {
  const md = renderTelemetryMd(odd);

  it('lets no catalog text open HTML (a comment would hide the rest of the page)', () => {
    expect(md).toContain('Runs. &lt;!-- everything after this would be hidden');
    expect(md).toContain('Write to &lt;us>.');
    expect(md).toContain('## How to turn it off');
  });

  it('keeps every attribute on one table row: CR and LF become spaces, pipes are escaped', () => {
    const row = md.split('\n').find((line) => line.startsWith('| `mode`'))!;
    expect(row).toContain('one \\| two');
    expect(row.split(/(?<!\\)\|/).length).toBe(7);
  });

  it('shows enum values exactly as sent, backticks and line breaks included', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x')).toBe('`` `x ``');
    expect(code('e\nf')).toBe('`e\\x0af`');
    // GFM strips one space from each end of ` sp `, and a pair of backticks alone opens a span that never closes.
    expect(code(' sp ')).toBe('`  sp  `');
    expect(code(' lead')).toBe('` lead`');
    expect(code('   ')).toBe('`   `');
    expect(code('')).toBe('*(empty)*');
    expect(md).toContain('``a`b``, `e\\x0af`, `pipe\\|d`');
  });
});

describe('TELEMETRY.md defaults', () => {
  const catalog = defineCatalog({ app: 'x', events: { 'x.a.b': { description: 'd', duration: true } } });
  const tierRow = (md: string, tier: string) => md.split('\n').find((line) => line.startsWith(`| ${tier} |`));

  it('shows traces off and opt-in whatever the defaults say, as createTelemetry ignores defaults.traces', () => {
    const saysTracesOn = { metrics: true, events: true, traces: true };
    const md = renderTelemetryMd(catalog, saysTracesOn);
    expect(tierRow(md, 'events')).toMatch(/^\| events \| on \|/);
    expect(tierRow(md, 'traces')).toMatch(/^\| traces \| off \(opt-in\) \|/);
  });

  it('words each flush window as what it is', () => {
    expect(renderTelemetryMd(catalog)).toContain('rolled up per hourly window');
    expect(renderTelemetryMd(catalog, { flush: 'daily' })).toContain('rolled up per daily window');
    const immediate = renderTelemetryMd(catalog, { flush: 'immediate' });
    expect(immediate).toContain('delivered in the background over OTLP/HTTP, within seconds of being recorded');
    expect(immediate).not.toContain('window (');
  });
});
