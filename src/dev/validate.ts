import { pointCount } from '../otlp/flatten.js';
import type { OtlpSignal } from '../otlp/signals.js';
import type { OtlpMetric, OtlpMetricsRequest, OtlpRequestMap, OtlpSpan, OtlpTracesRequest } from '../otlp/types.js';

/** A decoded request split into what the server keeps and what it refuses, as OTLP partial success reports it. */
export interface Validated<S extends OtlpSignal> {
  /** The request without the refused items. */
  request: OtlpRequestMap[S];
  /** Data points, log records or spans refused. */
  rejected: number;
  /** Why, for `partial_success.error_message`; also set (with `rejected` 0) for warnings. */
  message: string;
}

const TRACE_ID = /^(?!0{32})[0-9a-f]{32}$/;
const SPAN_ID = /^(?!0{16})[0-9a-f]{16}$/;

/**
 * Checks what the OTLP data model requires and a dashboard needs: metrics have a name, an
 * explicit histogram has one more bucket count than bounds, spans have non-zero trace and span
 * ids. Everything else is kept; log records have no required field.
 */
export function validateRequest<S extends OtlpSignal>(signal: S, request: OtlpRequestMap[S]): Validated<S> {
  if (signal === 'metrics') return validateMetrics(request as OtlpMetricsRequest) as Validated<S>;
  if (signal === 'traces') return validateTraces(request as OtlpTracesRequest) as Validated<S>;
  return { request, rejected: 0, message: '' };
}

function validateMetrics(request: OtlpMetricsRequest): Validated<'metrics'> {
  const reasons = new Reasons();
  const resourceMetrics = request.resourceMetrics.map((rm) => ({
    ...rm,
    scopeMetrics: rm.scopeMetrics.map((sm) => ({
      ...sm,
      metrics: sm.metrics.flatMap((m): OtlpMetric[] => {
        const points = pointCount(m);
        if (!m.name) {
          reasons.add('metric without a name', points);
          return [];
        }
        if (!m.sum && !m.gauge && !m.histogram && !m.exponentialHistogram && !m.summary) {
          reasons.warn(`metric "${m.name.slice(0, 80)}" has no data`);
          return [m];
        }
        if (!m.histogram) return [m];
        const ok = m.histogram.dataPoints.filter(
          (p) => p.bucketCounts.length === 0 || p.bucketCounts.length === p.explicitBounds.length + 1,
        );
        reasons.add('histogram point whose bucket counts do not match its bounds', m.histogram.dataPoints.length - ok.length);
        return [{ ...m, histogram: { ...m.histogram, dataPoints: ok } }];
      }),
    })),
  }));
  return reasons.result({ resourceMetrics }, 'data points');
}

function validateTraces(request: OtlpTracesRequest): Validated<'traces'> {
  const reasons = new Reasons();
  const resourceSpans = request.resourceSpans.map((rs) => ({
    ...rs,
    scopeSpans: rs.scopeSpans.map((ss) => ({
      ...ss,
      spans: ss.spans.filter((span: OtlpSpan) => {
        if (!TRACE_ID.test(span.traceId)) reasons.add('span with an invalid trace id', 1);
        else if (!SPAN_ID.test(span.spanId)) reasons.add('span with an invalid span id', 1);
        else return true;
        return false;
      }),
    })),
  }));
  return reasons.result({ resourceSpans }, 'spans');
}

/** Collects refusals by reason, and words them as one short message. */
class Reasons {
  private readonly counts = new Map<string, number>();
  private readonly warnings: string[] = [];
  private total = 0;

  add(reason: string, n: number): void {
    if (n <= 0) return;
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
    this.total += n;
  }

  warn(message: string): void {
    if (this.warnings.length < 5) this.warnings.push(message);
  }

  result<S extends OtlpSignal>(request: OtlpRequestMap[S], items: string): Validated<S> {
    const parts: string[] = [];
    if (this.total > 0) {
      const why = [...this.counts].map(([reason, n]) => `${reason} (${n})`).join(', ');
      parts.push(`${this.total} ${items} rejected: ${why}`);
    }
    parts.push(...this.warnings);
    return { request, rejected: this.total, message: parts.join('; ') };
  }
}
