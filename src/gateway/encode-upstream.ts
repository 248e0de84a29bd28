import { encodeRequest } from '../otlp/encode.js';
import { requestPlan } from '../otlp/field-plan.js';
import type { OtlpSignal } from '../otlp/signals.js';
import type { OtlpFormat, OtlpRequestMap } from '../otlp/types.js';

/** One filtered request on its way upstream, already in the upstream's format. */
export type UpstreamPart = Uint8Array;

const EMPTY = new Uint8Array(0);
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

const openings = new Map<OtlpSignal, Buffer>();

/** `{"resourceMetrics":[` (or logs, spans): how an OTLP/JSON request opens its one list. */
function jsonOpening(signal: OtlpSignal): Buffer {
  let opening = openings.get(signal);
  if (opening === undefined) openings.set(signal, (opening = Buffer.from(`{"${requestPlan(signal).fields[0]?.name}":[`)));
  return opening;
}

/**
 * Encodes a filtered request as soon as it is accepted, re-encoded from the filtered objects, so
 * nothing the filters did not see (unknown fields, headers, the client's address) can ride along.
 * At once, so the decoded objects die young (cheap for the garbage collector) and a queue of
 * pending bytes holds that many bytes, not objects ten times their size. JSON parts are the
 * elements of the request's one list, so a batch joins them. (The forwarder sends a client's own
 * protobuf bytes instead only when the decoder found nothing in them the request does not show,
 * `DecodedMessage.exact`, and the catalog changed nothing.)
 */
export function encodePart(signal: OtlpSignal, request: OtlpRequestMap[OtlpSignal], format: OtlpFormat): UpstreamPart {
  const bytes = encodeRequest(signal, request, format);
  if (format === 'protobuf') return bytes;
  // `{}` when the list is empty; else `{"resource…":[` … `]}`.
  return bytes.byteLength <= 2 ? EMPTY : bytes.subarray(jsonOpening(signal).byteLength, bytes.byteLength - CLOSE.byteLength);
}

/**
 * One upstream body for a batch of parts. Protobuf parts are concatenated: serialized messages
 * one after another parse as their merge, which for an export request is its lists concatenated
 * (OTLP defines that as the same data). JSON parts are joined into one list.
 */
export function joinParts(signal: OtlpSignal, parts: readonly UpstreamPart[], format: OtlpFormat): Uint8Array {
  if (format === 'protobuf') return parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
  const pieces: Uint8Array[] = [jsonOpening(signal)];
  for (const part of parts) {
    if (part.byteLength === 0) continue;
    if (pieces.length > 1) pieces.push(COMMA);
    pieces.push(part);
  }
  pieces.push(CLOSE);
  return Buffer.concat(pieces);
}
