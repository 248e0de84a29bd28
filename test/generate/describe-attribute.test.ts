import { describe, expect, it } from 'vitest';
import { describeAttribute } from '../../src/generate/describe-attribute.js';
import { renderTelemetryMd } from '../../src/generate/telemetry-md.js';
import { compileRule } from '../../src/privacy/rules.js';
import { attr, defineCatalog, lifecycleEvents } from '../../src/index.js';

const hash = (v: string) => v;

describe('describeAttribute for versions', () => {
  it('says what each precision records, with an example the rule itself produces', () => {
    const cases = [
      [attr.semver(), 'major.minor.patch plus a known pre-release word (alpha, beta, rc…), nothing else: `2.0.0-beta.1+build.5` is sent as `2.0.0-beta`'],
      [attr.semver({ precision: 'minor' }), 'major.minor only: `2.0.0-beta.1+build.5` is sent as `2.0`'],
      [attr.semver({ precision: 'major' }), 'major only: `2.0.0-beta.1+build.5` is sent as `2`'],
    ] as const;
    for (const [def, values] of cases) expect(describeAttribute(def)).toEqual({ type: 'version', values });
    expect(compileRule(attr.semver({ precision: 'minor' })).encode('2.0.0-beta.1+build.5', hash)).toBe('2.0');
  });

  it('documents a lifecycle upgrade as major.minor, as the SDK records it', () => {
    const md = renderTelemetryMd(defineCatalog({ app: 'todo', events: { ...lifecycleEvents('todo', { commands: ['add'] }) } }));
    const row = md.split('\n').find((line) => line.startsWith('| `version.to`'))!;
    expect(row).toContain('major.minor only');
    expect(row).not.toContain('patch');
  });
});
