import type { OtlpSpan, OtlpTracesRequest } from '../otlp/types.js';
import type { CatalogIndex } from '../privacy/validator.js';
import { filterAttributes } from './attributes.js';
import { clearedDroppedCount } from './dropped-counts.js';
import { filterTree, type Filtered } from './filter-tree.js';
import type { Reasons } from './reasons.js';
import { isOtlpId, knownEnum, knownFlags } from './defined-values.js';

/**
 * Keeps the spans the catalog allows: one span per timed occurrence of a traces-tier event, named
 * after the event. A span of an unknown event, of an event off the traces tier or without a
 * duration, or whose ids are not OTLP ids (16 and 8 bytes), is rejected and counted. Attributes
 * outside the event's allowlist are removed, and so is what the catalog cannot describe: span
 * events, links, trace state, the parent span id (the SDK's spans are roots), the status message
 * (the status code stays), dropped counts, and enum numbers OTLP does
 * not define (made unspecified).
 *
 * The request is edited in place: it is a fresh decode owned by the caller.
 */
export function filterSpans(request: OtlpTracesRequest, index: CatalogIndex, reasons: Reasons): Filtered<OtlpTracesRequest> {
  const keep = (span: OtlpSpan) => (keepSpan(span, index, reasons) ? span : undefined);
  const { kept, accepted } = filterTree(request.resourceSpans, 'scopeSpans', 'spans', keep, reasons);
  return { request: { resourceSpans: kept }, accepted };
}

function keepSpan(span: OtlpSpan, index: CatalogIndex, reasons: Reasons): boolean {
  const event = index.event(span.name);
  if (event === undefined) {
    reasons.reject('spans of event %s (not in the catalog)', 1, span.name);
    return false;
  }
  if (!event.tiers.has('traces') || !event.duration) {
    reasons.reject(`spans of event ${span.name} (not on the traces tier)`, 1);
    return false;
  }
  if (!isOtlpId(span.traceId, 'trace') || !isOtlpId(span.spanId, 'span')) {
    reasons.reject('spans whose trace or span id is not a valid OTLP id', 1);
    return false;
  }
  if (span.parentSpanId !== '') {
    // The SDK's spans are roots: a parent id is 8 bytes the client chose.
    reasons.strip('parent span ids');
    span.parentSpanId = '';
  }
  span.attributes = filterAttributes(event, 'traces', span.attributes, reasons);
  span.droppedAttributesCount = clearedDroppedCount(span.droppedAttributesCount, reasons);
  if (span.events.length > 0) reasons.strip('span events');
  span.droppedEventsCount = clearedDroppedCount(span.droppedEventsCount, reasons);
  span.events = [];
  if (span.links.length > 0) reasons.strip('span links');
  span.droppedLinksCount = clearedDroppedCount(span.droppedLinksCount, reasons);
  span.links = [];
  span.flags = knownFlags(span.flags, 'span', reasons);
  if (span.traceState !== '') {
    reasons.strip('trace state');
    span.traceState = '';
  }
  span.kind = knownEnum(span.kind, 'span kinds', reasons);
  if (span.status !== undefined) {
    if (span.status.message !== '') reasons.strip('span status messages');
    span.status = { message: '', code: knownEnum(span.status.code, 'status codes', reasons) };
  }
  return true;
}
