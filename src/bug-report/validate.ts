import type { EventRecord } from '../recorder/event-record.js';
import { checkedRecord, type RecordFields } from '../spool/format.js';
import { BUG_REPORT_FORMAT, type BugReport } from './bundle.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function isEventRecord(v: unknown): v is EventRecord {
  return isObject(v) && checkedRecord(v as unknown as RecordFields) !== undefined;
}

/**
 * Checks that a parsed value is a bug report this version understands, and says what is wrong if not
 * (a file of another format, a newer version, a damaged or hand-edited one). Throws a `TypeError`.
 */
export function assertBugReport(value: unknown): asserts value is BugReport {
  if (!isObject(value)) throw new TypeError('not a bug report: expected a JSON object');
  if (value.format !== BUG_REPORT_FORMAT) {
    throw new TypeError(`not a bug report this optel reads: format ${JSON.stringify(value.format)}, expected "${BUG_REPORT_FORMAT}"`);
  }
  for (const key of ['app', 'version', 'createdAt'] as const) {
    if (typeof value[key] !== 'string') throw new TypeError(`damaged bug report: "${key}" is not a string`);
  }
  const platform = value.platform;
  if (!isObject(platform) || !['os', 'arch', 'node', 'optel'].every((k) => typeof platform[k] === 'string')) {
    throw new TypeError('damaged bug report: "platform" is incomplete');
  }
  if (!isObject(value.config) || !isObject(value.config.tiers) || !Array.isArray(value.config.explain)) {
    throw new TypeError('damaged bug report: "config" is incomplete');
  }
  if (!Array.isArray(value.events)) throw new TypeError('damaged bug report: "events" is not a list');
  if (value.eventsLeftOut !== undefined && !(Number.isSafeInteger(value.eventsLeftOut) && (value.eventsLeftOut as number) > 0)) {
    throw new TypeError('damaged bug report: "eventsLeftOut" is not a positive integer');
  }
  const bad = value.events.findIndex((e) => !isEventRecord(e));
  if (bad !== -1) throw new TypeError(`damaged bug report: event ${bad} is not a valid record`);
}
