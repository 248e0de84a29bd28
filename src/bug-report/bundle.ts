import { tierDecision } from '../config/resolve.js';
import { readHistory } from '../history/read.js';
import { ONE_DAY_MS } from '../history/day-file.js';
import { DEFAULT_HISTORY_MAX_DAYS } from '../history/prune.js';
import type { TelemetryStatus } from '../instruments/telemetry.js';
import type { EventRecord } from '../recorder/event-record.js';
import type { Tier } from '../semconv/attributes.js';
import { OPTEL_VERSION } from '../version.js';
import { configSection, type BugReportConfig } from './config-section.js';
import { redactDeep } from './scrub.js';
import { unlinkable } from './unlinkable.js';

/** The format tag of a bug report; readers refuse anything else. */
export const BUG_REPORT_FORMAT = 'optel-bug-report/1';

/** Versions and platform: what a maintainer needs to reproduce, nothing that identifies the machine. */
export interface BugReportPlatform {
  /** `process.platform`, e.g. `linux`. */
  readonly os: string;
  /** `process.arch`, e.g. `x64`. */
  readonly arch: string;
  /** The Node.js version. */
  readonly node: string;
  /** The optel version. */
  readonly optel: string;
}

/**
 * A bug report: exactly these keys. No environment, no paths, no installation id (attached to a
 * public issue, it would tie the reporter's name to their telemetry), no host or user name, and no
 * hashed id or exact time that the collector's records, which carry the installation id, also hold.
 */
export interface BugReport {
  readonly format: typeof BUG_REPORT_FORMAT;
  readonly app: string;
  /** The app's version, or `unknown` when the report was made outside the app. */
  readonly version: string;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
  readonly platform: BugReportPlatform;
  readonly config: BugReportConfig;
  /**
   * The local history's records (already validated and redacted when recorded), oldest first, made
   * unlinkable to what was sent (see `unlinkable`): hashed ids re-keyed for this report, `time` in
   * milliseconds since the first event (to the second), durations to the millisecond.
   */
  readonly events: readonly EventRecord[];
  /** How many older records of the history were left out to keep the report readable (absent when none). */
  readonly eventsLeftOut?: number;
}

/**
 * Most of the history a report carries, newest first: records, and their bytes as compact JSON. A
 * maintainer needs the recent runs; a history kept with a large `maxRecords` would otherwise make a
 * report that takes minutes to write and that `readBugReport` (64 MiB once unpacked) refuses.
 */
export const MAX_REPORT_EVENTS = 20_000;
const MAX_REPORT_EVENT_BYTES = 16 * 1024 * 1024;

/** The newest records that fit the report's bounds, oldest first, and how many older ones did not. */
function newestThatFit(records: readonly EventRecord[]): { kept: readonly EventRecord[]; leftOut: number } {
  let bytes = 0;
  let from = records.length;
  while (from > 0 && records.length - from < MAX_REPORT_EVENTS) {
    bytes += JSON.stringify(records[from - 1]).length;
    if (bytes > MAX_REPORT_EVENT_BYTES) break;
    from--;
  }
  return { kept: from === 0 ? records : records.slice(from), leftOut: from };
}

/** What a bug report is made from. */
export interface CreateBugReportOptions {
  readonly app: string;
  /** The app's version (`unknown` if not known). */
  readonly version: string;
  /** From `telemetry.status()` (only its resolved `config` is used). */
  readonly status: Pick<TelemetryStatus, 'config'>;
  /** The local history (`<stateDir>/history`); undefined for none. */
  readonly historyDir: string | undefined;
  /** Only events of the last this many days (default 7, the history's own retention). */
  readonly days?: number;
  /** False when made outside the app, which alone knows its defaults (default true). */
  readonly appDefaultsKnown?: boolean;
  /** The clock (epoch ms; default `Date.now()`). */
  readonly now?: number;
}

/**
 * A history record as far as today's consent allows: only the tiers still on, and its events-tier
 * attributes only if a tier that carries them is (an admin may have withdrawn one since it was kept).
 */
function stillConsented(record: EventRecord, tiers: Readonly<Record<Tier, boolean>>): EventRecord[] {
  const kept = record.tiers.filter((t) => tiers[t]);
  if (kept.length === 0) return [];
  const { extra, ...rest } = record;
  return [{ ...rest, tiers: kept, ...(extra && kept.some((t) => t !== 'metrics') ? { extra } : {}) }];
}

/**
 * Assembles a bug report in memory. Every string in it then goes through `redact()` once more, as a
 * last guard: events were redacted when recorded, configuration values are built without secrets,
 * so this should change nothing — and if it ever does, the redacted form is what is kept.
 */
export function createBugReport(options: CreateBugReportOptions): BugReport {
  const now = options.now ?? Date.now();
  const days = options.days ?? DEFAULT_HISTORY_MAX_DAYS;
  const history = options.historyDir ? readHistory(options.historyDir, { since: now - days * ONE_DAY_MS, until: now }) : [];
  const { config } = options.status;
  // Outside the app its defaults are unknown: a tier off only by (guessed) defaults is not a withdrawal.
  // What decided is the kill switch or an exporter set to `none` when one did, not the tier's own line.
  const withdrawn = (t: Tier) =>
    !config.tiers[t] && ((options.appDefaultsKnown ?? true) || tierDecision(config.explain, t).source !== 'default');
  const allowed = { metrics: !withdrawn('metrics'), events: !withdrawn('events'), traces: !withdrawn('traces') };
  const { kept: events, leftOut } = newestThatFit(history.flatMap((record) => stillConsented(record, allowed)));
  const report: BugReport = {
    format: BUG_REPORT_FORMAT,
    app: options.app,
    version: options.version,
    createdAt: new Date(now).toISOString(),
    platform: { os: process.platform, arch: process.arch, node: process.versions.node, optel: OPTEL_VERSION },
    config: configSection(options.status.config, options.appDefaultsKnown ?? true),
    events: unlinkable(events),
    ...(leftOut > 0 ? { eventsLeftOut: leftOut } : {}),
  };
  return withEndpointsAsShown(redactDeep(report), report.config);
}

/**
 * Endpoints are already reduced by `endpointShown` to what may be shown (loopback hosts, the app's
 * own default, the OTLP suffix); the redactor would turn `http://127.0.0.1:4318/v1/metrics` into
 * `http://<ipv4>:4318<path>`, hiding exactly what a maintainer looks for.
 */
function withEndpointsAsShown(report: BugReport, shown: BugReportConfig): BugReport {
  const explain = report.config.explain.map((e, i) => (e.setting.startsWith('endpoint.') ? shown.explain[i]! : e));
  return { ...report, config: { ...report.config, endpoints: shown.endpoints, explain } };
}
