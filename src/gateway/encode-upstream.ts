import { encodeRequest } from '../otlp/encode.js';
import type { OtlpSignal } from '../otlp/signals.js';
import type { OtlpFormat, OtlpLogsRequest, OtlpMetricsRequest, OtlpRequestMap, OtlpTracesRequest } from '../otlp/types.js';

type AnyRequest = OtlpRequestMap[OtlpSignal];

/** One filtered request on its way upstream: protobuf bytes, or (for a JSON upstream) the request itself. */
export type UpstreamPart = Uint8Array | AnyRequest;

/**
 * Encodes a filtered request as soon as it is accepted, re-encoded from the filtered objects —
 * never the client's bytes, so nothing the filters did not see (unknown fields, headers, the
 * client's address) can ride along. For protobuf this happens at once, so the decoded objects die
 * young (cheap for the garbage collector) instead of waiting in the queue for a connection.
 */
export function encodePart(signal: OtlpSignal, request: AnyRequest, format: OtlpFormat): UpstreamPart {
  return format === 'protobuf' ? encodeRequest(signal, request, 'protobuf') : request;
}

/**
 * One upstream body for a batch of parts. Protobuf parts are concatenated: serialized messages
 * one after another parse as their merge, which for an export request is its lists concatenated
 * (OTLP defines that as the same data). JSON parts are merged and encoded once.
 */
export function joinParts(signal: OtlpSignal, parts: readonly UpstreamPart[], format: OtlpFormat): Uint8Array {
  if (format === 'protobuf') {
    return parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts as Uint8Array[]);
  }
  return encodeRequest(signal, merge(signal, parts as AnyRequest[]), format);
}

function merge(signal: OtlpSignal, parts: readonly AnyRequest[]): AnyRequest {
  if (parts.length === 1) return parts[0] as AnyRequest;
  if (signal === 'metrics') return { resourceMetrics: (parts as OtlpMetricsRequest[]).flatMap((p) => p.resourceMetrics) };
  if (signal === 'logs') return { resourceLogs: (parts as OtlpLogsRequest[]).flatMap((p) => p.resourceLogs) };
  return { resourceSpans: (parts as OtlpTracesRequest[]).flatMap((p) => p.resourceSpans) };
}
