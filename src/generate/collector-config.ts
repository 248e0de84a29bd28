import { Document } from 'yaml';
import { wirePattern } from '../privacy/rules.js';
import type { AttributeDefinition, AttributeTier } from '../semconv/attributes.js';
import { eventTiers, type Catalog, type EventDefinition } from '../semconv/catalog.js';
import {
  ATTR_APP_INSTALLATION_ID, ATTR_EVENT_NAME, COUNT_SUFFIX, DURATION_SUFFIX, RESOURCE_ATTRIBUTE_ALLOWLIST, SEVERITY_TEXT_PATTERN, UNIT_EVENT, UNIT_SECONDS,
} from '../semconv/names.js';
import { describeAttribute } from './describe-attribute.js';
import { MAX_RESOURCE_VALUE } from '../privacy/resource-labels.js';

const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
/** Severity text the gateway forwards (any other is cleared; the number stays). */
const SEVERITY_TEXT = `(?i)^${SEVERITY_TEXT_PATTERN}$`;

/** Where the example pipeline listens and sends; both are placeholders for the reader to change. */
export interface CollectorConfigOptions {
  /** The OTLP/HTTP receiver's endpoint (default `0.0.0.0:4318`). */
  readonly listen?: string;
  /** The OTLP exporter's endpoint (default `backend:4317`). */
  readonly exportTo?: string;
}

/**
 * The OpenTelemetry Collector (contrib) configuration that enforces a catalog without the gateway:
 * `filter/optel` drops metrics, data points, log records and spans the catalog does not name or
 * whose values fall outside their closed sets and ranges (the Collector cannot re-aggregate, so
 * where the gateway removes a bad value, this drops the item); `transform/optel` keeps only the
 * declared attributes per metric, event and span, caps free text and reduces resources to the
 * allowlist. Plus an example pipeline wiring an OTLP receiver through both to an OTLP exporter.
 * The Collector cannot run optel's redactor: text is capped here, redacted only by the SDK.
 */
export function renderCollectorConfig(catalog: Catalog, options: CollectorConfigOptions = {}): string {
  const events = Object.entries(catalog.events);
  const onTier = (tier: 'metrics' | 'events' | 'traces') => events.filter(([, e]) => eventTiers(e).includes(tier));
  const metricEvents = onTier('metrics');
  const logEvents = onTier('events');
  const spanEvents = onTier('traces').filter(([, e]) => e.duration === true);

  const instruments = metricEvents.flatMap(([name, e]) => [name + COUNT_SUFFIX, ...(e.duration ? [name + DURATION_SUFFIX] : [])]);
  const metricIs = (name: string, e: EventDefinition) =>
    e.duration ? `(metric.name == ${q(name + COUNT_SUFFIX)} or metric.name == ${q(name + DURATION_SUFFIX)})` : `metric.name == ${q(name + COUNT_SUFFIX)}`;
  // The SDK sets both a record's event_name and its event.name attribute; the attribute is the one
  // every OTTL version can read.
  const logIs = (name: string) => `attributes[${q(ATTR_EVENT_NAME)}] == ${q(name)}`;
  const spanIs = (name: string) => `name == ${q(name)}`;

  const filter = {
    error_mode: 'ignore',
    metrics: {
      metric: [
        `not (${anyOf(instruments.map((n) => `name == ${q(n)}`))})`,
        ...metricEvents.flatMap(([name, e]) => [
          `name == ${q(name + COUNT_SUFFIX)} and (type != METRIC_DATA_TYPE_SUM or is_monotonic == false or unit != ${q(UNIT_EVENT)})`,
          ...(e.duration ? [`name == ${q(name + DURATION_SUFFIX)} and (type != METRIC_DATA_TYPE_HISTOGRAM or unit != ${q(UNIT_SECONDS)})`] : []),
        ]),
      ],
      datapoint: metricEvents.flatMap(([name, e]) => valueConditions(e, 'metrics').map((c) => `${metricIs(name, e)} and ${c}`)),
    },
    logs: {
      log_record: [
        `not (${anyOf(logEvents.map(([name]) => logIs(name)))})`,
        ...logEvents.flatMap(([name, e]) => valueConditions(e, 'events').map((c) => `${logIs(name)} and ${c}`)),
      ],
    },
    traces: {
      span: [
        `not (${anyOf(spanEvents.map(([name]) => spanIs(name)))})`,
        ...spanEvents.flatMap(([name, e]) => valueConditions(e, 'events').map((c) => `${spanIs(name)} and ${c}`)),
      ],
      // Span events carry what the catalog cannot describe (exception messages, stack traces); the span stays.
      spanevent: ['true'],
    },
  };

  const resource = {
    context: 'resource',
    statements: [
      `keep_keys(attributes, [${RESOURCE_ATTRIBUTE_ALLOWLIST.map(q).join(', ')}])`,
      // As the gateway: allowlisted values are strings of at most MAX_RESOURCE_VALUE characters (`.` is one code point in RE2).
      ...RESOURCE_ATTRIBUTE_ALLOWLIST.flatMap((key) => {
        const a = `attributes[${q(key)}]`;
        return [
          `delete_key(attributes, ${q(key)}) where ${a} != nil and not IsString(${a})`,
          `delete_key(attributes, ${q(key)}) where IsString(${a}) and IsMatch(${a}, ${q(`(?s)^${anyChars(MAX_RESOURCE_VALUE + 1)}`)})`,
        ];
      }),
      `delete_key(attributes, ${q(ATTR_APP_INSTALLATION_ID)}) where attributes[${q(ATTR_APP_INSTALLATION_ID)}] != nil and not IsMatch(attributes[${q(ATTR_APP_INSTALLATION_ID)}], ${q(UUID_PATTERN)})`,
    ],
  };
  const scope = { context: 'scope', statements: ['keep_keys(attributes, [])'] };
  const transform = {
    error_mode: 'ignore',
    metric_statements: [
      resource,
      scope,
      { context: 'datapoint', statements: metricEvents.map(([name, e]) => `${keepKeys(e, 'metrics', [])} where ${metricIs(name, e)}`) },
    ],
    log_statements: [
      resource,
      scope,
      {
        context: 'log',
        statements: [
          // The catalog describes no body; `set(body, nil)` is a no-op before Collector v0.158, so an empty string.
          'set(body, "") where body != nil',
          `set(severity_text, "") where severity_text != "" and not IsMatch(severity_text, ${q(SEVERITY_TEXT)})`,
          ...logEvents.flatMap(([name, e]) => [`${keepKeys(e, 'events', [ATTR_EVENT_NAME])} where ${logIs(name)}`, ...capText(e, logIs(name))]),
        ],
      },
    ],
    trace_statements: [
      resource,
      scope,
      {
        context: 'span',
        statements: [
          'set(trace_state, "") where trace_state != ""',
          'set(status.message, "") where status.message != ""',
          ...spanEvents.flatMap(([name, e]) => [`${keepKeys(e, 'events', [])} where ${spanIs(name)}`, ...capText(e, spanIs(name))]),
        ],
      },
    ],
  };

  const processors = ['filter/optel', 'transform/optel', 'batch'];
  const pipeline = { receivers: ['otlp'], processors, exporters: ['otlp'] };
  const doc = new Document({
    receivers: { otlp: { protocols: { http: { endpoint: options.listen ?? '0.0.0.0:4318' } } } },
    processors: { 'filter/optel': filter, 'transform/optel': transform, batch: {} },
    exporters: { otlp: { endpoint: options.exportTo ?? 'backend:4317' } },
    service: { pipelines: { metrics: pipeline, logs: pipeline, traces: pipeline } },
  }, { aliasDuplicateObjects: false });
  doc.commentBefore = [
    ` OpenTelemetry Collector (contrib) configuration enforcing the "${catalog.app}" telemetry catalog.`,
    ' Generated by `optel collector-config`; regenerate it when the catalog changes rather than editing it.',
    ' filter/optel drops what the catalog does not name and values outside their closed sets and ranges;',
    ' transform/optel keeps only declared attributes and the resource allowlist, and clears log bodies,',
    ' trace state and status messages. Free text is capped, not redacted again (the Collector cannot run',
    ' optel\'s redactor); no Collector processor can remove span links or exemplars, and metric metadata',
    ' only from v0.127 on (left alone, so older Collectors still start): `optel gateway` does all of it.',
    ' The receiver and exporter endpoints are examples.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/**
 * An OTTL string literal, with `$` doubled: the Collector expands `${env:X}` (and, in older
 * versions, `$X`) anywhere in its configuration and reads `$$` as one `$`, so a catalog value or a
 * regex anchor reaches OTTL as written.
 */
function q(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '$$$$')}"`;
}

function anyOf(conditions: readonly string[]): string {
  return conditions.length === 0 ? 'false' : conditions.join(' or ');
}

/** The attributes an event may carry on a tier (metrics: metrics-tier ones only). */
function allowed(e: EventDefinition, tier: AttributeTier): [string, AttributeDefinition][] {
  return Object.entries(e.attributes ?? {}).filter(([, def]) => tier === 'events' || def.tier === 'metrics');
}

function keepKeys(e: EventDefinition, tier: AttributeTier, extra: readonly string[]): string {
  return `keep_keys(attributes, [${[...allowed(e, tier).map(([key]) => key), ...extra].map(q).join(', ')}])`;
}

/** Conditions true when an attribute holds a value its definition does not allow. */
function valueConditions(e: EventDefinition, tier: AttributeTier): string[] {
  const out: string[] = [];
  for (const [key, def] of allowed(e, tier)) {
    const a = `attributes[${q(key)}]`;
    const closed = describeAttribute(def).closedSet;
    let ok: string | undefined;
    if (closed) ok = anyOf(closed.map((v) => `${a} == ${typeof v === 'string' ? q(v) : String(v)}`));
    else if (def.kind === 'int') ok = `${a} >= ${def.min} and ${a} <= ${def.max}`;
    else if (def.kind === 'semver' || def.kind === 'hashed') ok = `IsMatch(${a}, ${q(wirePattern(def)!)})`;
    if (ok !== undefined) out.push(`${a} != nil and not (${ok})`);
  }
  return out;
}

/**
 * Statements cutting each free-text attribute of an event to its declared length in characters:
 * OTTL's `Len` and `Substring` count bytes (and can split a UTF-8 sequence), where RE2's `.` is one
 * code point. Only longer strings match, so shorter ones and non-strings are left alone.
 */
function capText(e: EventDefinition, where: string): string[] {
  return Object.entries(e.attributes ?? {}).flatMap(([key, def]) => {
    if (def.kind !== 'text') return [];
    return [`replace_pattern(attributes[${q(key)}], ${q(`(?s)^(${anyChars(def.maxLength)}).+`)}, ${q('$1')}) where ${where}`];
  });
}

/** RE2 refuses a repeat count over 1000; longer runs of any `n` characters are written in pieces. */
const MAX_REPEAT = 1000;

/** A regex matching exactly `n` characters (code points), every repeat count within RE2's limit. */
function anyChars(n: number): string {
  const pieces: string[] = [];
  for (let left = n; left > 0; left -= MAX_REPEAT) pieces.push(`.{${Math.min(left, MAX_REPEAT)}}`);
  return pieces.join('');
}
