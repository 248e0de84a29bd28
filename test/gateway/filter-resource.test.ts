import { describe, expect, it } from 'vitest';
import { installationsOf } from '../../src/gateway/filter-request.js';
import { filterResource } from '../../src/gateway/filter-resource.js';
import { createReasons } from '../../src/gateway/reasons.js';
import { counter, countPoint, INSTALLATION, metrics, resource, values } from './fixtures.js';

describe('filtering resources', () => {
  it('keeps the allowlisted attributes the SDK sends', () => {
    const reasons = createReasons('data points');
    const out = filterResource(resource(), reasons);
    expect(values(out?.attributes ?? [])).toEqual({
      'service.name': 'shop', 'service.version': '2.1.0', 'app.installation.id': INSTALLATION, 'os.type': 'linux',
      'host.arch': 'amd64', 'telemetry.sdk.name': 'optel',
    });
    expect(reasons.message()).toBe('');
  });

  it('removes everything that names a machine, a person or a network address', () => {
    const reasons = createReasons('data points');
    const out = filterResource(resource({
      'host.name': 'anns-macbook', 'client.address': '203.0.113.9', 'net.peer.ip': '203.0.113.9', 'user.name': 'ann',
      'process.command_line': 'shop buy --card 4111', 'process.executable.path': '/home/ann/bin/shop', 'host.id': 'c0ffee',
    }), reasons);
    expect(Object.keys(values(out?.attributes ?? []))).not.toContain('host.name');
    expect(out?.attributes).toHaveLength(6);
    expect(reasons.message()).toContain('"host.name" (not in the allowlist)');
  });

  it('removes an installation id that is not a random UUID, and non-string values', () => {
    const reasons = createReasons('data points');
    const res = resource({ 'service.version': 3 }, 'ann@example.com');
    const out = filterResource(res, reasons);
    expect(values(out?.attributes ?? [])).not.toHaveProperty('app.installation.id');
    expect(values(out?.attributes ?? [])).not.toHaveProperty('service.version');
    expect(reasons.message()).not.toContain('ann@example.com');
  });

  it('redacts what allowlisted labels carry', () => {
    const out = filterResource(resource({ 'service.name': 'shop for ann@example.com' }), createReasons('spans'));
    expect(values(out?.attributes ?? [])['service.name']).toBe('shop for <email>');
  });

  it('keeps an OS, CPU, version or runtime name only when it is one', () => {
    const reasons = createReasons('spans');
    const out = filterResource(resource({
      'os.type': 'Ann Smith', 'host.arch': 'anns-ThinkPad-T480', 'service.version': '1.0.0 built by ann',
      'process.runtime.name': 'Ann Smith', 'process.runtime.version': '20.20.2', 'telemetry.sdk.language': 'nodejs',
    }), reasons);
    expect(values(out?.attributes ?? [])).toEqual({
      'service.name': 'shop', 'app.installation.id': INSTALLATION, 'telemetry.sdk.name': 'optel',
      'process.runtime.version': '20.20.2', 'telemetry.sdk.language': 'nodejs',
    });
    expect(reasons.message()).toContain('"os.type" (not a known value)');
    expect(reasons.message()).toContain('"service.version" (not a version)');
    expect(reasons.message()).toContain('"process.runtime.name" (not a runtime or SDK name)');
    expect(reasons.message()).not.toContain('Ann');
    // Calendar versions and pre-releases are versions.
    for (const version of ['2024.11', '1.4.2-rc.1+build.5', 'v20.20.2']) {
      expect(values(filterResource(resource({ 'service.version': version }), createReasons('spans'))?.attributes ?? [])['service.version']).toBe(version);
    }
  });

  it('charges a request to each installation it names, and one shared bucket for the rest', () => {
    const other = '0e6f3a52-1d2b-4c3d-8e4f-5a6b7c8d9e0f';
    const request = metrics([counter('shop.cart.viewed', [countPoint({})])]);
    request.resourceMetrics.push({ ...request.resourceMetrics[0]!, resource: resource({}, other) });
    request.resourceMetrics.push({ ...request.resourceMetrics[0]!, resource: resource({}, 'not-a-uuid') });
    expect(installationsOf('metrics', request).sort()).toEqual(['', INSTALLATION, other].sort());
  });

  it('charges the installation id it forwards when a resource names one twice (the first valid one)', () => {
    const other = '0e6f3a52-1d2b-4c3d-8e4f-5a6b7c8d9e0f';
    const request = metrics([counter('shop.cart.viewed', [countPoint({})])]);
    const res = request.resourceMetrics[0]!.resource!;
    res.attributes = [
      { key: 'app.installation.id', value: { intValue: '7' } },
      { key: 'app.installation.id', value: { stringValue: other } },
      { key: 'app.installation.id', value: { stringValue: INSTALLATION } },
      ...res.attributes.filter((kv) => kv.key !== 'app.installation.id'),
    ];
    expect(installationsOf('metrics', request)).toEqual([other]);
    expect(values(filterResource(res, createReasons('data points'))?.attributes ?? [])['app.installation.id']).toBe(other);
  });
});
