import { describe, expect, it } from 'vitest';
import { validateRequest } from '../../src/dev/validate.js';
import { logsRequest, metricsRequest, tracesRequest } from './fixtures.js';

describe('validateRequest', () => {
  it('keeps a valid request whole', () => {
    const request = metricsRequest();
    expect(validateRequest('metrics', request)).toEqual({ request, rejected: 0, message: '' });
    expect(validateRequest('logs', logsRequest(['a'])).rejected).toBe(0);
  });

  it('rejects spans with an all-zero or malformed trace id, and says so', () => {
    const result = validateRequest('traces', tracesRequest([['ok', 1], ['bad', 1, '0'.repeat(32)], ['worse', 1, 'xyz']]));
    expect(result.rejected).toBe(2);
    expect(result.message).toBe('2 spans rejected: span with an invalid trace id (2)');
    expect(result.request.resourceSpans[0]?.scopeSpans[0]?.spans.map((s) => s.name)).toEqual(['ok']);
  });

  it('rejects the data points of a metric without a name', () => {
    const request = metricsRequest();
    const metric = request.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!;
    metric.name = '';
    const result = validateRequest('metrics', request);
    expect(result.rejected).toBe(1);
    expect(result.message).toContain('metric without a name');
    expect(result.request.resourceMetrics[0]?.scopeMetrics[0]?.metrics).toHaveLength(1);
  });

  it('rejects histogram points whose bucket counts do not match the bounds', () => {
    const request = metricsRequest({ buckets: [1, 0], bounds: [0.1, 0.2, 0.3] });
    const result = validateRequest('metrics', request);
    expect(result.rejected).toBe(1);
    expect(result.message).toContain('bucket counts do not match');
  });

  it('warns, without rejecting, about a metric with no data', () => {
    const request = metricsRequest();
    const metric = request.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!;
    delete metric.sum;
    const result = validateRequest('metrics', request);
    expect(result.rejected).toBe(0);
    expect(result.message).toBe('metric "todo.cli.invoked.count" has no data');
  });
});
