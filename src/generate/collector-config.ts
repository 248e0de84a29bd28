import { Document } from 'yaml';
import { wirePattern } from '../privacy/rules.js';
import type { AttributeDefinition, AttributeTier } from '../semconv/attributes.js';
import { eventTiers, type Catalog, type EventDefinition } from '../semconv/catalog.js';
import {
  ATTR_EVENT_NAME, COUNT_SUFFIX, DURATION_BUCKETS_SECONDS, DURATION_SUFFIX, OPTEL_SCOPE, RESOURCE_ATTRIBUTE_ALLOWLIST, SEVERITY_TEXT_PATTERN,
  UNIT_EVENT, UNIT_SECONDS,
} from '../semconv/names.js';
import { describeAttribute } from './describe-attribute.js';
import { MAX_RESOURCE_VALUE, RESOURCE_VALUE_SHAPES, SCHEMA_URL_PATTERN } from '../privacy/resource-labels.js';
import { ENUM_MAX, FLAG_BITS } from '../gateway/defined-values.js';

/** Severity text the gateway forwards (any other is cleared; the number stays). */
const SEVERITY_TEXT = `(?i)^${SEVERITY_TEXT_PATTERN}$`;
/** The oldest Collector (contrib) with every path used here: the log's `event_name`, the metric's `metadata`. */
const MIN_COLLECTOR = 'v0.128.0';
/** As the gateway: a resource's or scope's schema URL other than an opentelemetry.io schema is cleared (a URL can carry anything). */
const CLEAR_SCHEMA_URL = `set(schema_url, "") where schema_url != "" and not IsMatch(schema_url, ${q(SCHEMA_URL_PATTERN)})`;
/** A statement setting `path` to `empty` wherever it holds anything else. */
function cleared(path: string, empty: string): string {
  return `set(${path}, ${empty}) where ${path} != ${empty}`;
}
/** As the gateway: a dropped-attributes count is the client's number, not a fact about what was kept. */
const CLEAR_DROPPED = cleared('dropped_attributes_count', '0');
/** A metric OTLP gives no temporality is neither delta nor cumulative: the gateway rejects its points. */
const NO_TEMPORALITY = 'aggregation_temporality == AGGREGATION_TEMPORALITY_UNSPECIFIED';
/** Empty ids, how OTTL tests for none. */
const NO_TRACE_ID = 'TraceID(0x00000000000000000000000000000000)';
const NO_SPAN_ID = 'SpanID(0x0000000000000000)';

/** Where the example pipeline listens and sends; both are placeholders for the reader to change. */
export interface CollectorConfigOptions {
  /** The OTLP/HTTP receiver's endpoint (default `0.0.0.0:4318`). */
  readonly listen?: string;
  /** The OTLP exporter's endpoint (default `backend:4317`). */
  readonly exportTo?: string;
}

/**
 * The OpenTelemetry Collector (contrib) configuration that enforces a catalog without the gateway,
 * rule for rule as far as OTTL reaches (the generated header lists where it falls short):
 * `filter/optel` drops metrics, data points, log records and spans the catalog does not name, whose
 * values or shapes it does not allow, or that carry what the gateway removes and OTTL cannot (the
 * Collector cannot re-aggregate, so where the gateway removes a bad value, this drops the item);
 * `transform/optel` keeps only the declared attributes, maps values to enum fallbacks, caps free
 * text, scope names and versions, reduces resources to the allowlist, and sets or clears the fields
 * the gateway does. Plus an example pipeline wiring an OTLP receiver through both to an OTLP
 * exporter. The output needs Collector (contrib) v0.128.0 or later.
 */
export function renderCollectorConfig(catalog: Catalog, options: CollectorConfigOptions = {}): string {
  const events = Object.entries(catalog.events);
  const onTier = (tier: 'metrics' | 'events' | 'traces') => events.filter(([, e]) => eventTiers(e).includes(tier));
  const metricEvents = onTier('metrics');
  const logEvents = onTier('events');
  const spanEvents = onTier('traces').filter(([, e]) => e.duration === true);

  const instruments = metricEvents.flatMap(([name, e]) => [name + COUNT_SUFFIX, ...(e.duration ? [name + DURATION_SUFFIX] : [])]);
  // `field` is `metric.name` below a metric (data points), `name` on the metric itself.
  const metricIs = (name: string, e: EventDefinition, field = 'metric.name') =>
    e.duration ? `(${field} == ${q(name + COUNT_SUFFIX)} or ${field} == ${q(name + DURATION_SUFFIX)})` : `${field} == ${q(name + COUNT_SUFFIX)}`;
  // The SDK sets both a record's event_name and its event.name attribute. Records are told apart by
  // the attribute, and one whose event_name says otherwise is dropped, as the gateway rejects it (a
  // record with an event_name and no attribute, which the gateway would take, is dropped here).
  const logIs = (name: string) => `attributes[${q(ATTR_EVENT_NAME)}] == ${q(name)}`;
  const spanIs = (name: string) => `name == ${q(name)}`;

  const filter = {
    error_mode: 'ignore',
    metrics: {
      metric: [
        `not (${anyOf(instruments.map((n) => `name == ${q(n)}`))})`,
        ...metricEvents.flatMap(([name, e]) => [
          `name == ${q(name + COUNT_SUFFIX)} and (type != METRIC_DATA_TYPE_SUM or is_monotonic == false or unit != ${q(UNIT_EVENT)} or ${NO_TEMPORALITY})`,
          ...(e.duration ? [`name == ${q(name + DURATION_SUFFIX)} and (type != METRIC_DATA_TYPE_HISTOGRAM or unit != ${q(UNIT_SECONDS)} or ${NO_TEMPORALITY})`] : []),
        ]),
      ],
      datapoint: [
        // What the gateway removes and OTTL cannot: the point goes (the optel SDK sends neither).
        'Len(exemplars) > 0',
        `flags > ${FLAG_BITS.point}`,
        ...metricEvents.flatMap(([name, e]) => [
          // Whole counts only (an int point reads 0 as value_double).
          `metric.name == ${q(name + COUNT_SUFFIX)} and (value_int < 0 or value_double < 0 or value_double != Int(value_double))`,
          ...(e.duration ? [`metric.name == ${q(name + DURATION_SUFFIX)} and (${HISTOGRAM_PROBLEMS})`] : []),
          ...valueConditions(e, 'metrics').map((c) => `${metricIs(name, e)} and ${c}`),
        ]),
      ],
    },
    logs: {
      log_record: [
        `not (${anyOf(logEvents.map(([name]) => logIs(name)))})`,
        `event_name != "" and event_name != attributes[${q(ATTR_EVENT_NAME)}]`,
        ...logEvents.flatMap(([name, e]) => valueConditions(e, 'events').map((c) => `${logIs(name)} and ${c}`)),
      ],
    },
    traces: {
      span: [
        `not (${anyOf(spanEvents.map(([name]) => spanIs(name)))})`,
        // As the gateway: a span needs real ids; links are what the gateway removes and OTTL cannot.
        `trace_id == ${NO_TRACE_ID} or span_id == ${NO_SPAN_ID}`,
        'Len(links) > 0',
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
      // As the gateway: an installation id, OS, CPU, version or runtime name only when it is one.
      ...Object.entries(RESOURCE_VALUE_SHAPES).map(([key, shape]) =>
        `delete_key(attributes, ${q(key)}) where IsString(attributes[${q(key)}]) and not IsMatch(attributes[${q(key)}], ${q(shape.pattern)})`),
      CLEAR_SCHEMA_URL,
      CLEAR_DROPPED,
    ],
  };
  const scope = {
    context: 'scope',
    // As the gateway: the name the SDK gives its scopes, and no version (it sends none).
    statements: [
      'keep_keys(attributes, [])',
      `set(name, "") where name != ${q(OPTEL_SCOPE)}`,
      cleared('version', '""'),
      CLEAR_SCHEMA_URL,
      CLEAR_DROPPED,
    ],
  };
  const transform = {
    error_mode: 'ignore',
    metric_statements: [
      resource,
      scope,
      {
        context: 'metric',
        statements: [
          'keep_keys(metadata, [])',
          ...metricEvents.map(([name, e]) => `set(description, ${q(e.description)}) where ${metricIs(name, e, 'name')}`),
        ],
      },
      {
        context: 'datapoint',
        statements: metricEvents.flatMap(([name, e]) => [`${keepKeys(e, 'metrics', [])} where ${metricIs(name, e)}`, ...toFallback(e, 'metrics', metricIs(name, e))]),
      },
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
          unspecifiedUnless('severity_number', 'SEVERITY_NUMBER_UNSPECIFIED', ENUM_MAX['severity numbers']),
          // As the gateway: the SDK attaches no trace context to records, so none is forwarded.
          cleared('trace_id', NO_TRACE_ID),
          cleared('span_id', NO_SPAN_ID),
          cleared('flags', String(FLAG_BITS.record)),
          CLEAR_DROPPED,
          // As the gateway: a record named only by its event.name attribute gets the event name too.
          `set(event_name, attributes[${q(ATTR_EVENT_NAME)}]) where event_name == "" and IsString(attributes[${q(ATTR_EVENT_NAME)}])`,
          ...logEvents.flatMap(([name, e]) => [
            `${keepKeys(e, 'events', [ATTR_EVENT_NAME])} where ${logIs(name)}`, ...capText(e, logIs(name)), ...toFallback(e, 'events', logIs(name)),
          ]),
        ],
      },
    ],
    trace_statements: [
      resource,
      scope,
      {
        context: 'span',
        statements: [
          cleared('trace_state', '""'),
          cleared('status.message', '""'),
          unspecifiedUnless('kind', 'SPAN_KIND_UNSPECIFIED', ENUM_MAX['span kinds']),
          // As the gateway: the SDK's spans are roots with nothing dropped.
          cleared('parent_span_id', NO_SPAN_ID),
          CLEAR_DROPPED,
          cleared('dropped_events_count', '0'),
          cleared('dropped_links_count', '0'),
          unspecifiedUnless('status.code', 'STATUS_CODE_UNSET', ENUM_MAX['status codes']),
          ...spanEvents.flatMap(([name, e]) => [
            `${keepKeys(e, 'events', [])} where ${spanIs(name)}`, ...capText(e, spanIs(name)), ...toFallback(e, 'events', spanIs(name)),
          ]),
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
    ` Needs Collector (contrib) ${MIN_COLLECTOR} or later: older ones refuse the log event_name and metric metadata paths.`,
    ' Generated by `optel collector-config`; regenerate it when the catalog changes rather than editing it.',
    ' filter/optel drops what the catalog does not name, values of the wrong type or outside their closed',
    ' sets and ranges, instruments of the wrong shape (type, unit, temporality, negative counts, histogram',
    ' bounds and counts that do not match), log records whose event_name and event.name attribute differ,',
    ' spans without real ids, and points with undefined flag bits. transform/optel keeps only declared',
    ' attributes and the resource allowlist (an installation id, OS, CPU, version or runtime name only when',
    ' it is one), maps values outside a closed set with a fallback to it, sets metric descriptions to the',
    ' catalog\'s, clears metric metadata, log bodies (to ""), trace context of log records, parent span ids, trace state,',
    ' status messages, dropped counts, undefined enum numbers, scope names other than optel, scope versions,',
    ' and schema URLs that are not opentelemetry.io schemas, and caps free text.',
    ' Unlike `optel gateway`: where the gateway removes one bad value, this drops the whole item — a data',
    ' point carrying exemplars or undefined flag bits, a span carrying links; free text and resource',
    ' values are not redacted again (the Collector cannot run optel\'s redactor); an integer sent as a',
    ' double (3.0) is dropped, not re-typed; a log record with an event_name but no event.name attribute',
    ' is dropped; points that filtering left the same series are not merged (the Collector cannot',
    ' re-aggregate), so an upstream may see duplicates; histogram bound values, min and max, and bucket',
    ' counts against the count are not checked, nor counts for infinity; span flags and resource entity',
    ' references pass (OTTL has no path to them); a cap counts characters (code points), where the SDK',
    ' and the gateway count UTF-16 units, so text of emoji may keep up to twice as many units here.',
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
  return allowed(e, tier).map(([key, def]) => {
    const a = `attributes[${q(key)}]`;
    // Any other string is mapped to the fallback by the transform (`toFallback`), as the gateway does.
    return `${a} != nil and not (${def.kind === 'enum' && def.fallback !== undefined ? `IsString(${a})` : allows(def, a)})`;
  });
}

/** A condition true when `a` holds a value the definition allows, of the type the SDK sends for it. */
function allows(def: AttributeDefinition, a: string): string {
  switch (def.kind) {
    // OTTL compares an int with a double as float64: without IsInt, 1.5 is within 0..255.
    case 'int':
      return `IsInt(${a}) and ${a} >= ${def.min} and ${a} <= ${def.max}`;
    // IsMatch turns a number into text first, so 1.4 would match a major.minor version.
    case 'semver':
    case 'hashed':
      return `IsString(${a}) and IsMatch(${a}, ${q(wirePattern(def)!)})`;
    // Any string (the transform caps it); a map, list, number or bool is what the SDK never sends.
    case 'text':
      return `IsString(${a})`;
    // OTTL's == is typed (a string equals no number or bool), so a closed set checks the type too.
    default:
      return anyOf(describeAttribute(def).closedSet!.map((v) => `${a} == ${typeof v === 'string' ? q(v) : String(v)}`));
  }
}

/**
 * Histogram points the gateway rejects, as far as OTTL can tell: bounds that cannot be the SDK's (it
 * cannot read their values), counts that do not match them (one more than bounds, or none with no
 * bounds), bounds without counts (which the gateway strips), a negative sum. Only reached for
 * histograms: other types of a duration metric are dropped whole.
 */
const HISTOGRAM_PROBLEMS = [
  `(Len(explicit_bounds) != 0 and Len(explicit_bounds) != ${DURATION_BUCKETS_SECONDS.length})`,
  '(Len(explicit_bounds) == 0 and Len(bucket_counts) > 1)',
  '(Len(explicit_bounds) > 0 and Len(bucket_counts) != Len(explicit_bounds) + 1)',
  'sum < 0',
].join(' or ');

/** A statement making an enum path unspecified when it holds a number OTLP does not define (the gateway's `knownEnum`). */
function unspecifiedUnless(path: string, unspecified: string, max: number): string {
  return `set(${path}, ${unspecified}) where ${path} < 0 or ${path} > ${max}`;
}

/** Statements mapping a string outside a closed set to its fallback, as the gateway's rule does (the filter let only strings through). */
function toFallback(e: EventDefinition, tier: AttributeTier, where: string): string[] {
  return allowed(e, tier).flatMap(([key, def]) => {
    if (def.kind !== 'enum' || def.fallback === undefined) return [];
    const a = `attributes[${q(key)}]`;
    return [`set(${a}, ${q(def.fallback)}) where ${where} and IsString(${a}) and not (${allows(def, a)})`];
  });
}

/** Statements cutting each free-text attribute of an event to its declared length (see `capTo`). */
function capText(e: EventDefinition, where: string): string[] {
  return Object.entries(e.attributes ?? {}).flatMap(([key, def]) => (def.kind === 'text' ? [`${capTo(`attributes[${q(key)}]`, def.maxLength)} where ${where}`] : []));
}

/**
 * A statement cutting a string to `max` characters: OTTL's `Len` and `Substring` count bytes (and
 * can split a UTF-8 sequence), where RE2's `.` is one code point. Only longer strings match, so
 * shorter ones and non-strings are left alone.
 */
function capTo(target: string, max: number): string {
  return `replace_pattern(${target}, ${q(`(?s)^(${anyChars(max)}).+`)}, ${q('$1')})`;
}

/** RE2 refuses a repeat count over 1000; longer runs of any `n` characters are written in pieces. */
const MAX_REPEAT = 1000;

/** A regex matching exactly `n` characters (code points), every repeat count within RE2's limit. */
function anyChars(n: number): string {
  const pieces: string[] = [];
  for (let left = n; left > 0; left -= MAX_REPEAT) pieces.push(`.{${Math.min(left, MAX_REPEAT)}}`);
  return pieces.join('');
}
