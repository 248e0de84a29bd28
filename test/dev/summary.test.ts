import { describe, expect, it } from 'vitest';
import { createDevStore } from '../../src/dev/store.js';
import { formatSummary } from '../../src/dev/summary.js';
import { logsRequest, metricsRequest } from './fixtures.js';

const T0 = 1_795_450_000_000;

describe('formatSummary', () => {
  it('prints one aligned row per event with count, records, failures, p50 and p95', () => {
    // cli.invoked: 10 values in (10, 25] ms and 2 in (25, 50] ms, so p50 = 10 + 15 * 6/10 = 19 ms.
    let now = T0;
    const store = createDevStore({ now: () => now });
    store.add('metrics', metricsRequest({ count: 10, buckets: [0, 0, 10, 0, 0, 0] }));
    store.add('metrics', metricsRequest({ event: 'todo.item.added', count: 3, attributes: { 'list.size': '1-10' }, buckets: [3, 0, 0, 0, 0, 0] }));
    store.add('metrics', metricsRequest({ count: 2, attributes: { success: false }, buckets: [0, 0, 0, 2, 0, 0] }));
    store.add('logs', logsRequest(['todo.cli.invoked']));
    now += 65_000;
    const text = formatSummary(store.snapshot());
    expect(text.split('\n')).toEqual([
      'optel dev: 4 export requests accepted (0 B) in 1m 05s',
      '',
      '  event             count  records  spans   failed     p50      p95',
      '  todo.cli.invoked     12        1      -  2 (17%)   19 ms  42.5 ms',
      '  todo.item.added       3        -      -        -  2.5 ms  4.75 ms',
      '',
      '  tiers          metrics yes (6 data points), events yes (1 log record), traces no',
      '  apps           todo 1.4.2',
      '  installations  1',
      '',
    ]);
  });

  it('shows a unit a sender named as a value: it cannot start a line of its own', () => {
    const store = createDevStore({ now: () => T0 });
    const request = metricsRequest({ count: 2, buckets: [0, 2, 0, 0, 0, 0] });
    const histogram = request.resourceMetrics[0]!.scopeMetrics[0]!.metrics.find((m) => m.name.endsWith('.duration'))!;
    (histogram as { unit: string }).unit = 'x\n\n  todo.cli.invoked   1000000\u001b[2J';
    store.add('metrics', request);
    const text = formatSummary(store.snapshot());
    expect(text.split('\n').filter((line) => line.trimStart().startsWith('todo.cli.invoked'))).toHaveLength(1);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('says what it counts: export requests accepted and refused, and items refused inside accepted ones', () => {
    const store = createDevStore({ now: () => T0 });
    store.add('metrics', metricsRequest(), { bytes: 2000 });
    store.reject({ path: '/v1/metrics', status: 400, reason: 'garbage' });
    store.reject({ path: '/v1/traces', status: 200, reason: '14 spans rejected', items: 14 });
    const lines = formatSummary(store.snapshot()).split('\n');
    expect(lines[0]).toBe('optel dev: 1 export request accepted (2 kB), 1 refused, in 0s');
    expect(lines).toContain('  refused items  14 data points, log records or spans dropped from accepted requests (partial success)');
  });

  it('says so when nothing arrived', () => {
    expect(formatSummary(createDevStore().snapshot())).toContain('no events received');
  });
});
