import type { EventRecord } from '../recorder/event-record.js';
import { TIERS } from '../semconv/attributes.js';
import { checkedRecord, type RecordFields } from '../spool/format.js';
import { BUG_REPORT_FORMAT, type BugReport } from './bundle.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const SIGNALS = ['metrics', 'logs', 'traces'] as const;

function isEventRecord(v: unknown): v is EventRecord {
  return isObject(v) && checkedRecord(v as unknown as RecordFields) !== undefined;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every(isString);
const isStringMap = (v: unknown, keys: readonly string[]): boolean => isObject(v) && keys.every((k) => isString(v[k]));

function isOverride(v: unknown): boolean {
  return isObject(v) && isString(v.source) && isString(v.value) && (v.note === undefined || isString(v.note));
}

function isExplanation(v: unknown): boolean {
  return isObject(v) && isString(v.setting) && isString(v.value) && isString(v.source) &&
    (v.origin === undefined || isString(v.origin)) && Array.isArray(v.overridden) && v.overridden.every(isOverride);
}

/** What is wrong with a report's `config` (every field `describeBugReport` shows), or undefined. */
function configProblem(config: unknown): string | undefined {
  if (!isObject(config)) return 'is not an object';
  if (!isObject(config.tiers) || !TIERS.every((t) => typeof (config.tiers as Json)[t] === 'boolean')) return '"tiers" is incomplete';
  const flag = (['enabled', 'debug', 'appDefaultsKnown'] as const).find((k) => typeof config[k] !== 'boolean');
  if (flag !== undefined) return `has no "${flag}"`;
  if (config.killedBy !== undefined && !isString(config.killedBy)) return '"killedBy" is not a string';
  if (!isString(config.flush) || !isString(config.protocol)) return 'has no "flush" or "protocol"';
  if (!isStringMap(config.endpoints, SIGNALS) || !isStringMap(config.exporters, SIGNALS)) return 'has no "endpoints" or "exporters"';
  if (!isStringList(config.headerNames)) return '"headerNames" is not a list of names';
  if (!Array.isArray(config.explain)) return '"explain" is not a list';
  const bad = config.explain.findIndex((e) => !isExplanation(e));
  return bad === -1 ? undefined : `explanation ${bad} is incomplete`;
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
  if (!isStringMap(value.platform, ['os', 'arch', 'node', 'optel'])) throw new TypeError('damaged bug report: "platform" is incomplete');
  const problem = configProblem(value.config);
  if (problem !== undefined) throw new TypeError(`damaged bug report: "config" ${problem}`);
  if (!Array.isArray(value.events)) throw new TypeError('damaged bug report: "events" is not a list');
  if (value.eventsLeftOut !== undefined && !(Number.isSafeInteger(value.eventsLeftOut) && (value.eventsLeftOut as number) > 0)) {
    throw new TypeError('damaged bug report: "eventsLeftOut" is not a positive integer');
  }
  const bad = value.events.findIndex((e) => !isEventRecord(e));
  if (bad !== -1) throw new TypeError(`damaged bug report: event ${bad} is not a valid record`);
}
