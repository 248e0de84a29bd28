import { describe, expect, it } from 'vitest';
import { attr, defineCatalog, lifecycleEvents } from '../../src/index.js';
import { compileRule } from '../../src/privacy/rules.js';

const hash = (v: string) => v;

describe('lifecycleEvents()', () => {
  it('declares first run, upgrade, daily activity and adoption under the app, metrics tier only', () => {
    const catalog = defineCatalog({ app: 'tool', events: { ...lifecycleEvents('tool', { commands: ['build', 'serve'] }) } });
    expect(Object.keys(catalog.events).sort()).toEqual([
      'tool.command.adopted', 'tool.install.active', 'tool.install.first_run', 'tool.install.upgraded', 'tool.telemetry.dropped',
    ]);
    for (const event of Object.values(catalog.events)) expect(event.tiers).toEqual(['metrics']);
  });

  it('maps commands outside the declared list to `other`', () => {
    const adopted = lifecycleEvents('tool', { commands: ['build'] })['tool.command.adopted'];
    const rule = compileRule(adopted.attributes!['cli.command']!);
    expect(rule.encode('build', hash)).toBe('build');
    expect(rule.encode('deploy --prod', hash)).toBe('other');
  });
});

describe('semver precision', () => {
  it('sends major.minor or major only, and the gateway accepts exactly that shape', () => {
    const minor = compileRule(attr.semver({ precision: 'minor' }));
    const major = compileRule(attr.semver({ precision: 'major' }));
    expect(minor.encode('v1.4.2-beta.3', hash)).toBe('1.4');
    expect(major.encode('12.0.1', hash)).toBe('12');
    expect(minor.accepts('1.4')).toBe('1.4');
    expect(minor.accepts('1.4.2')).toEqual({ rejected: 'not a reduced semantic version' });
    expect(major.accepts('1.4')).toEqual({ rejected: 'not a reduced semantic version' });
  });
});
