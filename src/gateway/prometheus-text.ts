import { OTLP_SIGNALS } from '../otlp/signals.js';
import type { GatewayStats } from './server.js';

/** The media type of the Prometheus text exposition format the metrics endpoint answers with. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Sample = readonly [labels: string, value: number];

/**
 * A gateway's counts in the Prometheus text exposition format, for the operator's scraper: items
 * accepted and rejected per signal, answers per status, and the upstream side (batches, retries,
 * failures, what waits). Aggregates only: nothing about any client.
 */
export function prometheusText(stats: GatewayStats): string {
  const f = stats.forwarder;
  const lines: string[] = [];
  const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: readonly Sample[]): void => {
    lines.push(`# HELP optel_gateway_${name} ${help}`, `# TYPE optel_gateway_${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`optel_gateway_${name}${labels} ${value}`);
  };
  metric('items_total', 'counter', 'Data points, log records and spans received, by signal and outcome (accepted: forwarded upstream; rejected: dropped by the catalog).',
    OTLP_SIGNALS.flatMap((signal) => [
      [`{signal="${signal}",outcome="accepted"}`, stats.accepted[signal]] as const,
      [`{signal="${signal}",outcome="rejected"}`, stats.rejected[signal]] as const,
    ]));
  // Statuses are numbers the gateway itself chose, so they need no label escaping.
  metric('responses_total', 'counter', 'Export requests answered, by HTTP status.',
    Object.entries(stats.statuses).sort(([a], [b]) => Number(a) - Number(b)).map(([status, n]) => [`{status="${status}"}`, n] as const));
  metric('upstream_batches_total', 'counter', 'Batches the upstream accepted.', [['', f.batches]]);
  metric('upstream_items_total', 'counter', 'Items in batches the upstream accepted.', [['', f.items]]);
  metric('upstream_bytes_total', 'counter', 'Encoded bytes of batches the upstream accepted.', [['', f.bytes]]);
  metric('upstream_verbatim_exports_total', 'counter', 'Exports queued for the upstream as their clients sent them (protobuf the catalog left unchanged), not encoded again.', [['', f.verbatim]]);
  metric('upstream_retries_total', 'counter', 'Upstream attempts retried.', [['', f.retries]]);
  metric('upstream_failed_batches_total', 'counter', 'Batches given up on after their retries (their clients were answered 502 or 503).', [['', f.failedBatches]]);
  metric('upstream_rejected_items_total', 'counter', "Items the upstream reported rejected in its partial success.", [['', f.upstreamRejected]]);
  metric('upstream_pending_bytes', 'gauge', 'Decoded bytes waiting for the upstream or in flight.', [['', f.pendingBytes]]);
  metric('upstream_in_flight', 'gauge', 'Requests to the upstream in progress.', [['', f.inFlight]]);
  metric('upstream_down', 'gauge', '1 while new data is refused because the upstream failed, else 0.', [['', f.down ? 1 : 0]]);
  metric('installations', 'gauge', 'Installations with a rate-limit bucket in memory.', [['', stats.installations]]);
  return `${lines.join('\n')}\n`;
}
