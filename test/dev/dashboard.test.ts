import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_ASSETS, DASHBOARD_JS } from '../../src/dev/dashboard/assets.js';

describe('the dashboard assets', () => {
  it('ship a script that parses, in strict mode, with no template leftovers', () => {
    expect(() => new Script(DASHBOARD_JS)).not.toThrow();
    expect(DASHBOARD_JS.startsWith("(function () {\n'use strict';")).toBe(true);
    expect(DASHBOARD_JS).not.toContain('${');
  });

  it('never put received data into innerHTML', () => {
    // Attribute values come from whoever sends telemetry: the script builds text nodes only.
    expect(DASHBOARD_JS).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });

  it('load nothing from another origin', () => {
    for (const asset of Object.values(DASHBOARD_ASSETS)) {
      expect(asset.body).not.toMatch(/(src|href)=["']?https?:/);
      expect(asset.body).not.toMatch(/@import|url\(\s*["']?https?:/);
    }
  });

  it('label event rows and counts for browser tests', () => {
    for (const id of ['event-row', 'event-count', 'tier-', 'total-events', 'installations', 'log-row', 'span-row']) {
      expect(DASHBOARD_JS).toContain(`'${id}`);
    }
  });
});
