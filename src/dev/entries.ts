import type { AttributeRecord, LogRow, SpanRow } from '../otlp/flatten.js';
import { ATTR_SERVICE_NAME } from '../semconv/names.js';
import type { LogEntry, SpanEntry } from './snapshot.js';
import { clip, clipAttributes } from './clip.js';

/** Attributes kept per displayed record. */
const MAX_ATTRIBUTES = 32;

const SEVERITIES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const STATUSES: readonly SpanEntry['status'][] = ['unset', 'ok', 'error'];

/** An OTLP nanosecond timestamp (decimal string) in epoch ms; 0 when unset or unreadable. */
export function nanosToMs(nanos: string): number {
  // Dropping the last six digits is exact division without BigInt, and safe for any length.
  if (!/^\d{7,}$/.test(nanos)) return 0;
  return Number(nanos.slice(0, -6));
}

/** A log record as the dashboard lists it. */
export function logEntry(row: LogRow, at: number, attributes: AttributeRecord): LogEntry {
  const body = row.body === undefined ? undefined : typeof row.body === 'string' ? row.body : JSON.stringify(row.body);
  return {
    at,
    event: clip(row.eventName ?? ''),
    severity: clip(row.severityText ?? severityName(row.severityNumber), 16),
    ...(body !== undefined && body !== '{}' ? { body: clip(body) } : {}),
    attributes: clipAttributes(attributes, MAX_ATTRIBUTES),
    service: clip(String(row.resource[ATTR_SERVICE_NAME] ?? '')),
    ...(row.traceId ? { traceId: row.traceId } : {}),
    ...(row.spanId ? { spanId: row.spanId } : {}),
  };
}

/** A span as the dashboard lists it. */
export function spanEntry(row: SpanRow, at: number): SpanEntry {
  return {
    at,
    name: clip(row.name),
    durationMs: durationMs(row.startTimeUnixNano, row.endTimeUnixNano),
    status: STATUSES[row.status?.code ?? 0] ?? 'unset',
    ...(row.status?.message ? { statusMessage: clip(row.status.message) } : {}),
    attributes: clipAttributes(row.attributes, MAX_ATTRIBUTES),
    service: clip(String(row.resource[ATTR_SERVICE_NAME] ?? '')),
    traceId: row.traceId,
    spanId: row.spanId,
    ...(row.parentSpanId ? { parentSpanId: row.parentSpanId } : {}),
  };
}

function severityName(n: number | undefined): string {
  if (!n || n < 1 || n > 24) return '';
  return SEVERITIES[Math.floor((n - 1) / 4)] ?? '';
}

/** End minus start in ms; BigInt because span durations are often far below what a double of epoch ns resolves. */
function durationMs(start: string, end: string): number {
  if (!/^\d+$/.test(start) || !/^\d+$/.test(end)) return 0;
  const ns = BigInt(end) - BigInt(start);
  return ns > 0n ? Number(ns) / 1e6 : 0;
}
