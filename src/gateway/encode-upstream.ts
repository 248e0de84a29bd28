import { encodeRequest } from '../otlp/encode.js';
import type { OtlpSignal } from '../otlp/signals.js';
import { encodeProtobuf } from './protobuf-encoder.js';
import type { OtlpFormat, OtlpLogsRequest, OtlpMetricsRequest, OtlpRequestMap, OtlpTracesRequest } from '../otlp/types.js';

/**
 * One upstream body for a batch of filtered requests: their top-level lists concatenated (OTLP
 * defines that as the same data) and re-encoded from the filtered objects — never the client's
 * bytes, so nothing the filters did not see (unknown fields, headers, the client's address) can
 * ride along.
 */
export function encodeForUpstream(signal: OtlpSignal, parts: readonly OtlpRequestMap[OtlpSignal][], format: OtlpFormat): Uint8Array {
  const request = merge(signal, parts);
  return format === 'protobuf' ? encodeProtobuf(signal, request) : encodeRequest(signal, request, format);
}

function merge(signal: OtlpSignal, parts: readonly OtlpRequestMap[OtlpSignal][]): OtlpRequestMap[OtlpSignal] {
  if (parts.length === 1) return parts[0] as OtlpRequestMap[OtlpSignal];
  if (signal === 'metrics') return { resourceMetrics: (parts as OtlpMetricsRequest[]).flatMap((p) => p.resourceMetrics) };
  if (signal === 'logs') return { resourceLogs: (parts as OtlpLogsRequest[]).flatMap((p) => p.resourceLogs) };
  return { resourceSpans: (parts as OtlpTracesRequest[]).flatMap((p) => p.resourceSpans) };
}
