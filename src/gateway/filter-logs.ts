import type { OtlpKeyValue, OtlpLogRecord, OtlpLogsRequest } from '../otlp/types.js';
import type { CatalogIndex } from '../privacy/validator.js';
import { ATTR_EVENT_NAME, SEVERITY_TEXT_PATTERN } from '../semconv/names.js';
import { filterAttributes } from './attributes.js';
import { clearedDroppedCount } from './dropped-counts.js';
import { filterTree, type Filtered } from './filter-tree.js';
import type { Reasons } from './reasons.js';
import { knownEnum, knownFlags } from './defined-values.js';

/** Severity names forwarded as sent; any other text is cleared (the number stays). */
const SEVERITY_TEXT = new RegExp(`^${SEVERITY_TEXT_PATTERN}$`, 'i');

/**
 * Keeps the log records the catalog allows: one record per occurrence of an events-tier event,
 * named by `eventName` or an `event.name` attribute (both, when both are sent, must agree). A record
 * of an unknown event, of an event off the events tier, or with no event name is rejected and
 * counted. Attributes outside the event's allowlist are removed (`event.name` itself is kept);
 * so are bodies (the catalog describes none), non-standard severity text, severity numbers OTLP
 * does not define, trace context and its flags (the SDK attaches none), and dropped-attribute counts
 * other than the gateway's own.
 *
 * The request is edited in place: it is a fresh decode owned by the caller.
 */
export function filterLogs(request: OtlpLogsRequest, index: CatalogIndex, reasons: Reasons): Filtered<OtlpLogsRequest> {
  const keep = (record: OtlpLogRecord) => (keepRecord(record, index, reasons) ? record : undefined);
  const { kept, accepted } = filterTree(request.resourceLogs, 'scopeLogs', 'logRecords', keep, reasons);
  return { request: { resourceLogs: kept }, accepted };
}

function keepRecord(record: OtlpLogRecord, index: CatalogIndex, reasons: Reasons): boolean {
  let nameAttribute: OtlpKeyValue | undefined;
  let rest = record.attributes;
  const at = rest.findIndex((kv) => kv.key === ATTR_EVENT_NAME);
  if (at !== -1) {
    nameAttribute = rest[at];
    rest = rest.filter((kv) => kv.key !== ATTR_EVENT_NAME);
    // It goes back last, once: anywhere else, or twice, the list changes.
    const last = record.attributes.length - 1;
    if (at !== last || rest.length !== last) reasons.edit();
  }
  const fromAttribute = nameAttribute?.value?.stringValue;
  const name = record.eventName || fromAttribute;
  if (!name) {
    reasons.reject('log records without an event name', 1);
    return false;
  }
  if (nameAttribute !== undefined && fromAttribute !== name) {
    reasons.reject('log records whose event.name attribute and event name differ', 1);
    return false;
  }
  const event = index.event(name);
  if (event === undefined) {
    reasons.reject('log records of event %s (not in the catalog)', 1, name);
    return false;
  }
  if (!event.tiers.has('events')) {
    reasons.reject(`log records of event ${name} (not on the events tier)`, 1);
    return false;
  }
  const kept = filterAttributes(event, 'events', rest, reasons);
  if (nameAttribute !== undefined) kept.push(nameAttribute);
  record.attributes = kept;
  record.droppedAttributesCount = clearedDroppedCount(record.droppedAttributesCount, reasons);
  if (record.eventName !== name) {
    reasons.edit();
    record.eventName = name;
  }
  if (record.body !== undefined) {
    // An empty value (`"body": {}`, what OTel's JSON serializer writes for no body) is no body: nothing was removed.
    if (Object.keys(record.body).length > 0) reasons.strip('log bodies');
    else reasons.edit();
    delete record.body;
  }
  if (record.traceId !== '' || record.spanId !== '') {
    // The SDK attaches no trace context to records: ids here are 24 bytes the client chose.
    reasons.strip('trace context of log records');
    record.traceId = '';
    record.spanId = '';
  }
  record.flags = knownFlags(record.flags, 'record', reasons);
  record.severityNumber = knownEnum(record.severityNumber, 'severity numbers', reasons);
  if (record.severityText !== '' && !SEVERITY_TEXT.test(record.severityText)) {
    reasons.strip('non-standard severity text');
    record.severityText = '';
  }
  return true;
}
