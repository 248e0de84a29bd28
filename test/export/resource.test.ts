import { describe, expect, it } from 'vitest';
import { buildResource } from '../../src/export/resource.js';

const identity = { serviceName: 'todo', installationId: '00000000-0000-4000-8000-000000000001' };

describe('buildResource', () => {
  it('carries the app\'s version only when it is one: a host\'s odd value carries no path or name out', () => {
    expect(buildResource({ ...identity, version: '1.4.2-beta.1' }).attributes['service.version']).toBe('1.4.2-beta.1');
    for (const odd of ['', '1.0 /home/alice', 'alice-macbook', 'x'.repeat(200)]) {
      expect(buildResource({ ...identity, version: odd }).attributes).not.toHaveProperty('service.version');
    }
  });

  it('names no host, user, path or command line', () => {
    const keys = Object.keys(buildResource({ ...identity, version: '1.0.0' }).attributes).sort();
    expect(keys).toEqual(['app.installation.id', 'host.arch', 'os.type', 'process.runtime.name', 'process.runtime.version', 'service.name', 'service.version', 'telemetry.sdk.language', 'telemetry.sdk.name', 'telemetry.sdk.version']);
  });
});
