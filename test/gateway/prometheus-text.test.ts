import { describe, expect, it } from 'vitest';
import { prometheusText } from '../../src/gateway/prometheus-text.js';
import type { GatewayStats } from '../../src/gateway/server.js';

const stats: GatewayStats = {
  statuses: { 503: 2, 200: 7, 429: 1 },
  accepted: { metrics: 40, logs: 3, traces: 0 },
  rejected: { metrics: 2, logs: 1, traces: 0 },
  installations: 5,
  forwarder: { batches: 4, items: 43, bytes: 9000, retries: 1, failedBatches: 0, upstreamRejected: 0, verbatim: 6, pendingBytes: 120, inFlight: 1, down: true },
};

describe('prometheusText', () => {
  it('writes every metric once with its HELP and TYPE, in the text exposition format', () => {
    const lines = prometheusText(stats).trimEnd().split('\n');
    const names = new Set<string>();
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.startsWith('# HELP ')) {
        const name = line.split(' ')[2] as string;
        expect(names.has(name)).toBe(false);
        names.add(name);
        expect(lines[i + 1]).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge)$`));
      } else if (!line.startsWith('# TYPE ')) {
        expect(line).toMatch(/^optel_gateway_[a-z_]+(\{[a-z]+="[^"\\\n]*"(,[a-z]+="[^"\\\n]*")*\})? \d+$/);
        expect(names.has(line.split(/[{ ]/)[0] as string)).toBe(true);
      }
    }
    expect(names.size).toBe(13);
  });

  it('says what the gateway did: items per signal and outcome, answers by status in order, the upstream side', () => {
    const text = prometheusText(stats);
    expect(text).toContain('optel_gateway_items_total{signal="logs",outcome="rejected"} 1\n');
    expect(text).toContain('optel_gateway_items_total{signal="traces",outcome="accepted"} 0\n');
    expect(text.match(/^optel_gateway_responses_total\{status="(\d+)"\} \d+$/gm)).toEqual([
      'optel_gateway_responses_total{status="200"} 7', 'optel_gateway_responses_total{status="429"} 1', 'optel_gateway_responses_total{status="503"} 2',
    ]);
    expect(text).toContain('optel_gateway_upstream_down 1\n');
    expect(text).toContain('optel_gateway_upstream_pending_bytes 120\n');
    expect(text).toContain('optel_gateway_installations 5\n');
    expect(text).toContain('optel_gateway_upstream_verbatim_exports_total 6\n');
  });
});
