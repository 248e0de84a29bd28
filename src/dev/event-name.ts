import { COUNT_SUFFIX, DURATION_SUFFIX } from '../semconv/names.js';

/** What one metric contributes to its event: the counter, the duration histogram, or something else. */
export type MetricRole = 'count' | 'duration' | 'other';

/**
 * The event a metric belongs to. optel names an event's instruments `<event>.count` and
 * `<event>.duration`; stripping the suffix puts the pair under one row. Any other metric
 * (a gauge, a foreign counter) is its own event under its full name.
 */
export function eventOfMetric(metricName: string): { event: string; role: MetricRole } {
  if (metricName.endsWith(COUNT_SUFFIX) && metricName.length > COUNT_SUFFIX.length) {
    return { event: metricName.slice(0, -COUNT_SUFFIX.length), role: 'count' };
  }
  if (metricName.endsWith(DURATION_SUFFIX) && metricName.length > DURATION_SUFFIX.length) {
    return { event: metricName.slice(0, -DURATION_SUFFIX.length), role: 'duration' };
  }
  return { event: metricName, role: 'other' };
}
