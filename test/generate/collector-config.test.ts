import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/cli/load-catalog.js';
import { renderCollectorConfig } from '../../src/generate/collector-config.js';
import { filterResource } from '../../src/gateway/filter-resource.js';
import { filterSchemaUrl } from '../../src/gateway/filter-scope.js';
import { resourceValueProblem } from '../../src/privacy/resource-labels.js';
import { createReasons } from '../../src/gateway/reasons.js';
import { compileRule } from '../../src/privacy/rules.js';
import { attr, defineCatalog, type Catalog } from '../../src/semconv/index.js';
import { eventTiers } from '../../src/semconv/catalog.js';
import { RESOURCE_ATTRIBUTE_ALLOWLIST } from '../../src/semconv/names.js';
import { ENUM_MAX, FLAG_BITS } from '../../src/gateway/defined-values.js';
import { DURATION_BUCKETS_SECONDS } from '../../src/semconv/names.js';
import { ROOT } from '../support/run-example.js';

interface Config {
  receivers: { otlp: unknown };
  processors: {
    'filter/optel': { error_mode: string; metrics: { metric: string[]; datapoint: string[] }; logs: { log_record: string[] }; traces: { span: string[] } };
    'transform/optel': Record<'metric_statements' | 'log_statements' | 'trace_statements', { context: string; statements: string[] }[]>;
  };
  exporters: { otlp: { endpoint: string } };
  service: { pipelines: Record<'metrics' | 'logs' | 'traces', { receivers: string[]; processors: string[]; exporters: string[] }> };
}

let todo: Catalog;
let text: string;
let config: Config;
beforeAll(async () => {
  ({ catalog: todo } = await loadCatalog(join(ROOT, 'examples', 'todo', 'catalog.mjs')));
  text = renderCollectorConfig(todo);
  config = parse(text) as Config;
});

const statements = (list: { context: string; statements: string[] }[], context: string) => list.find((s) => s.context === context)?.statements ?? [];

describe('the Collector configuration for the todo catalog', () => {
  it('is YAML with a filter and a transform processor wired into all three pipelines', () => {
    expect(text.startsWith('# OpenTelemetry Collector (contrib) configuration enforcing the "todo" telemetry catalog.')).toBe(true);
    expect(text).not.toMatch(/[&*]a\d/);
    for (const signal of ['metrics', 'logs', 'traces'] as const) {
      expect(config.service.pipelines[signal]).toEqual({ receivers: ['otlp'], processors: ['filter/optel', 'transform/optel', 'batch'], exporters: ['otlp'] });
    }
  });

  it('names every event and every attribute it allows', () => {
    for (const [name, event] of Object.entries(todo.events)) {
      expect(text).toContain(`"${name}`);
      for (const key of Object.keys(event.attributes ?? {})) expect(text).toContain(`"${key}"`);
    }
  });

  it('drops every metric that is not an instrument of the catalog, and instruments of the wrong type', () => {
    const [notInCatalog, ...types] = config.processors['filter/optel'].metrics.metric;
    expect(notInCatalog).toMatch(/^not \(name == "todo\.[a-z_.]+\.count" or /);
    expect(notInCatalog).toContain('name == "todo.cli.invoked.duration"');
    expect(notInCatalog).not.toContain('todo.item.added.duration');
    const noTemporality = 'aggregation_temporality == AGGREGATION_TEMPORALITY_UNSPECIFIED';
    expect(types).toContain(`name == "todo.cli.invoked.count" and (type != METRIC_DATA_TYPE_SUM or is_monotonic == false or unit != "{event}" or ${noTemporality})`);
    expect(types).toContain(`name == "todo.cli.invoked.duration" and (type != METRIC_DATA_TYPE_HISTOGRAM or unit != "s" or ${noTemporality})`);
  });

  it('drops the points the gateway rejects for their values: negative counts, histograms whose bounds and counts do not match', () => {
    const datapoint = config.processors['filter/optel'].metrics.datapoint;
    expect(datapoint).toContain('metric.name == "todo.cli.invoked.count" and (value_int < 0 or value_double < 0 or value_double != Int(value_double))');
    const histogram = datapoint.find((c) => c.startsWith('metric.name == "todo.cli.invoked.duration" and ((Len('))!;
    expect(histogram).toContain(`(Len(explicit_bounds) != 0 and Len(explicit_bounds) != ${DURATION_BUCKETS_SECONDS.length})`);
    // The same verdicts as the gateway's, for every shape of bounds and counts (OTTL's Len and == read as JS here).
    const ottl = (bounds: number, counts: number, sum: number) => Function('Len', 'explicit_bounds', 'bucket_counts', 'sum',
      `return ${histogram.slice(histogram.indexOf(' and (') + 5).replace(/ or /g, ' || ').replace(/ and /g, ' && ').replace(/ == /g, ' === ').replace(/ != /g, ' !== ')}`,
    )((list: unknown[]) => list.length, Array(bounds).fill(0), Array(counts).fill(0), sum) as boolean;
    for (const [bounds, counts, sum, dropped] of [[16, 17, 1, false], [0, 0, 1, false], [0, 1, 1, false], [0, 2, 1, true], [16, 16, 1, true], [16, 0, 1, true], [15, 16, 1, true], [65, 66, 1, true], [16, 17, -1, true]] as const) {
      expect(ottl(bounds, counts, sum), `${bounds} bounds, ${counts} counts, sum ${sum}`).toBe(dropped);
    }
  });

  it('drops what carries data the gateway removes and OTTL cannot: exemplars, span links, undefined flag bits of points, empty span ids', () => {
    const filter = config.processors['filter/optel'];
    expect(filter.metrics.datapoint).toEqual(expect.arrayContaining(['Len(exemplars) > 0', `flags > ${FLAG_BITS.point}`]));
    expect(filter.traces.span).toEqual(expect.arrayContaining(['Len(links) > 0', 'trace_id == TraceID(0x00000000000000000000000000000000) or span_id == SpanID(0x0000000000000000)']));
    const header = text.replace(/\n# /g, ' ');
    expect(header).toContain('a data point carrying exemplars or undefined flag bits, a span carrying links');
    expect(header).toContain('span flags and resource entity references pass (OTTL has no path to them)');
  });

  it('clears what the gateway clears: undefined enum numbers, dropped counts, trace context of records, parent span ids', () => {
    const transform = config.processors['transform/optel'];
    expect(statements(transform.log_statements, 'log')).toEqual(expect.arrayContaining([
      'set(trace_id, TraceID(0x00000000000000000000000000000000)) where trace_id != TraceID(0x00000000000000000000000000000000)',
      'set(span_id, SpanID(0x0000000000000000)) where span_id != SpanID(0x0000000000000000)',
      `set(flags, ${FLAG_BITS.record}) where flags != ${FLAG_BITS.record}`,
      'set(dropped_attributes_count, 0) where dropped_attributes_count != 0',
    ]));
    expect(statements(transform.trace_statements, 'span')).toEqual(expect.arrayContaining([
      'set(parent_span_id, SpanID(0x0000000000000000)) where parent_span_id != SpanID(0x0000000000000000)',
      'set(dropped_attributes_count, 0) where dropped_attributes_count != 0',
      'set(dropped_events_count, 0) where dropped_events_count != 0',
      'set(dropped_links_count, 0) where dropped_links_count != 0',
    ]));
    expect(statements(transform.log_statements, 'log')).toContain(`set(severity_number, SEVERITY_NUMBER_UNSPECIFIED) where severity_number < 0 or severity_number > ${ENUM_MAX['severity numbers']}`);
    expect(statements(transform.trace_statements, 'span')).toEqual(expect.arrayContaining([
      `set(kind, SPAN_KIND_UNSPECIFIED) where kind < 0 or kind > ${ENUM_MAX['span kinds']}`,
      `set(status.code, STATUS_CODE_UNSET) where status.code < 0 or status.code > ${ENUM_MAX['status codes']}`,
    ]));
    for (const list of [transform.metric_statements, transform.log_statements, transform.trace_statements]) {
      for (const context of ['resource', 'scope']) expect(statements(list, context)).toContain('set(dropped_attributes_count, 0) where dropped_attributes_count != 0');
    }
  });

  it('maps a string outside a closed set with a fallback to the fallback, as the gateway does, instead of dropping the item', () => {
    const filter = config.processors['filter/optel'];
    const errorType = 'attributes["error.type"] != nil and not (IsString(attributes["error.type"]))';
    for (const conditions of [filter.metrics.datapoint, filter.logs.log_record, filter.traces.span]) expect(conditions.filter((c) => c.endsWith(errorType))).toHaveLength(1);
    const transform = config.processors['transform/optel'];
    for (const [list, context] of [[transform.metric_statements, 'datapoint'], [transform.log_statements, 'log'], [transform.trace_statements, 'span']] as const) {
      const set = statements(list, context).find((t) => t.startsWith('set(attributes["error.type"], "_OTHER") where '));
      expect(set, context).toMatch(/and IsString\(attributes\["error\.type"\]\) and not \(attributes\["error\.type"\] == "Error" or .*attributes\["error\.type"\] == "_OTHER"\)$/);
    }
  });

  it('gives a record named only by its event.name attribute the event name, as the gateway does', () => {
    expect(statements(config.processors['transform/optel'].log_statements, 'log')).toContain(
      'set(event_name, attributes["event.name"]) where event_name == "" and IsString(attributes["event.name"])',
    );
  });

  it('drops data points, log records and spans whose values are outside their closed sets and ranges', () => {
    const filter = config.processors['filter/optel'];
    expect(filter.metrics.datapoint).toContain(
      'metric.name == "todo.list.viewed.count" and attributes["filter"] != nil and not (attributes["filter"] == "all" or attributes["filter"] == "open")',
    );
    expect(filter.metrics.datapoint).toContain(
      '(metric.name == "todo.cli.invoked.count" or metric.name == "todo.cli.invoked.duration") and attributes["process.exit.code"] != nil and not (IsInt(attributes["process.exit.code"]) and attributes["process.exit.code"] >= 0 and attributes["process.exit.code"] <= 255)',
    );
    expect(filter.logs.log_record[0]).toMatch(/^not \(attributes\["event\.name"\] == "todo\.cli\.invoked" or /);
    expect(filter.logs.log_record[0]).not.toContain('todo.telemetry.dropped');
    expect(filter.logs.log_record).toContain('attributes["event.name"] == "todo.item.completed" and attributes["item.id"] != nil and not (IsString(attributes["item.id"]) and IsMatch(attributes["item.id"], "^[0-9a-f]{32}$$"))');
    expect(filter.traces.span[0]).toBe('not (name == "todo.cli.invoked")');
  });

  it('keeps only the declared attributes per metric, event and span, and the resource allowlist', () => {
    const transform = config.processors['transform/optel'];
    expect(statements(transform.metric_statements, 'datapoint')).toContain(
      'keep_keys(attributes, ["filter", "list.size"]) where metric.name == "todo.list.viewed.count"',
    );
    // Events-tier attributes stay off the metrics.
    expect(statements(transform.metric_statements, 'datapoint')).toContain('keep_keys(attributes, ["text.length", "list.size"]) where metric.name == "todo.item.added.count"');
    expect(statements(transform.log_statements, 'log')).toContain(
      'keep_keys(attributes, ["text.length", "list.size", "text", "event.name"]) where attributes["event.name"] == "todo.item.added"',
    );
    expect(statements(transform.log_statements, 'log')).toContain(
      'replace_pattern(attributes["text"], "(?s)^(.{80}).+", "$$1") where attributes["event.name"] == "todo.item.added"',
    );
    expect(statements(transform.trace_statements, 'span')).toContain(
      'keep_keys(attributes, ["cli.command", "success", "error.type", "process.exit.code"]) where name == "todo.cli.invoked"',
    );
    for (const list of [transform.metric_statements, transform.log_statements, transform.trace_statements]) {
      expect(statements(list, 'resource')[0]).toBe(`keep_keys(attributes, [${RESOURCE_ATTRIBUTE_ALLOWLIST.map((k) => `"${k}"`).join(', ')}])`);
      expect(statements(list, 'scope')[0]).toBe('keep_keys(attributes, [])');
    }
  });

  it('cuts free text to its length in characters, not bytes (OTTL\'s Len and Substring count bytes)', () => {
    const cut = statements(config.processors['transform/optel'].log_statements, 'log').find((t) => t.startsWith('replace_pattern'))!;
    // What reaches OTTL once the Collector turns $$ into $; RE2's `.` and JS's with the u flag are one code point.
    const [, pattern, replacement] = /^replace_pattern\(attributes\["text"\], "(.*)", "(.*)"\) where/.exec(cut.replace(/\$\$/g, '$'))!;
    const [, flags, body] = /^\(\?(\w+)\)(.*)$/.exec(pattern!)!;
    const apply = (text: string) => text.replace(new RegExp(body!, `${flags}u`), replacement!);
    expect(apply('é'.repeat(100))).toBe('é'.repeat(80));
    expect(apply('a\n'.repeat(50))).toBe('a\n'.repeat(40));
    expect(apply('short')).toBe('short');
  });

  it('clears what the catalog cannot describe: log bodies, odd severity text, trace state, status messages, span events', () => {
    const transform = config.processors['transform/optel'];
    expect(statements(transform.log_statements, 'log')).toEqual(expect.arrayContaining([
      'set(body, "") where body != nil',
      'set(severity_text, "") where severity_text != "" and not IsMatch(severity_text, "(?i)^(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)[234]?$$")',
    ]));
    expect(statements(transform.trace_statements, 'span')).toEqual(expect.arrayContaining([
      'set(trace_state, "") where trace_state != ""',
      'set(status.message, "") where status.message != ""',
    ]));
    expect((config.processors['filter/optel'].traces as { spanevent?: string[] }).spanevent).toEqual(['true']);
  });

  it('drops a free-text attribute that is not a string (a map, a list, a number)', () => {
    // replace_pattern and keep_keys leave non-strings alone, so the filter is what refuses them.
    expect(config.processors['filter/optel'].logs.log_record).toContain(
      'attributes["event.name"] == "todo.item.added" and attributes["text"] != nil and not (IsString(attributes["text"]))',
    );
  });

  it('drops an integer attribute sent as a decimal, which OTTL would compare within the range', () => {
    const isInt = 'attributes["process.exit.code"] != nil and not (IsInt(attributes["process.exit.code"]) and attributes["process.exit.code"] >= 0';
    const filter = config.processors['filter/optel'];
    for (const conditions of [filter.metrics.datapoint, filter.logs.log_record, filter.traces.span]) {
      expect(conditions.filter((c) => c.includes(isInt))).toHaveLength(1);
    }
  });

  it('drops a version sent as a number, which IsMatch would turn into matching text', () => {
    expect(config.processors['filter/optel'].metrics.datapoint).toContain(
      'metric.name == "todo.install.upgraded.count" and attributes["version.from"] != nil and not (IsString(attributes["version.from"]) and IsMatch(attributes["version.from"], "^(0|[1-9][0-9]{0,8})\\\\.(0|[1-9][0-9]{0,8})$$"))',
    );
  });

  it('drops a log record whose event_name and event.name attribute differ, as the gateway rejects it', () => {
    expect(config.processors['filter/optel'].logs.log_record[1]).toBe('event_name != "" and event_name != attributes["event.name"]');
    expect(text).toContain('Needs Collector (contrib) v0.128.0 or later');
  });

  it('sets every instrument\'s description to its event\'s and clears metric metadata, as the gateway does', () => {
    const metric = statements(config.processors['transform/optel'].metric_statements, 'metric');
    expect(metric[0]).toBe('keep_keys(metadata, [])');
    expect(metric).toContain('set(description, "A todo command ran.") where (name == "todo.cli.invoked.count" or name == "todo.cli.invoked.duration")');
    for (const [name, e] of Object.entries(todo.events).filter(([, e]) => eventTiers(e).includes('metrics'))) {
      const set = metric.filter((st) => st.startsWith(`set(description, ${JSON.stringify(e.description)}) where `));
      expect(set.filter((st) => st.includes(`name == "${name}.count"`))).toHaveLength(1);
    }
  });

  it('keeps the scope name optel, no scope version, and only opentelemetry.io schema URLs, as the gateway does', () => {
    const transform = config.processors['transform/optel'];
    for (const list of [transform.metric_statements, transform.log_statements, transform.trace_statements]) {
      const scope = statements(list, 'scope');
      const clear = scope[3]!;
      expect(scope[1]).toBe('set(name, "") where name != "optel"');
      expect(scope[2]).toBe('set(version, "") where version != ""');
      expect(clear).toMatch(/^set\(schema_url, ""\) where schema_url != "" and not IsMatch\(schema_url, ".*"\)$/);
      expect(statements(list, 'resource')).toContain(clear);
    }
    // The URL pattern as OTTL reads it ($$ is $ once the Collector has read the file) keeps what the gateway keeps.
    const source = /IsMatch\(schema_url, "(.*)"\)$/.exec(statements(transform.log_statements, 'scope')[3]!)![1]!.replace(/\\\\/g, '\\').replace(/\$\$/g, '$');
    const pattern = new RegExp(source);
    for (const url of ['https://opentelemetry.io/schemas/1.26.0', 'https://opentelemetry.io/schemas/1.26', 'https://example.com/schemas/1.0.0', 'https://opentelemetry.io/schemas/1.26.0?u=me', 'http://opentelemetry.io/schemas/1.2.3']) {
      expect(pattern.test(url)).toBe(filterSchemaUrl(url, createReasons('items')) === url);
    }
  });

  it('keeps allowlisted resource values only as strings of at most 128 characters, as the gateway does', () => {
    const resource = statements(config.processors['transform/optel'].metric_statements, 'resource');
    expect(resource).toContain('delete_key(attributes, "service.version") where attributes["service.version"] != nil and not IsString(attributes["service.version"])');
    expect(resource).toContain('delete_key(attributes, "service.version") where IsString(attributes["service.version"]) and IsMatch(attributes["service.version"], "(?s)^.{129}")');
  });

  it('keeps an installation id, OS, CPU, version or runtime name only when it is one, as the gateway does', () => {
    const resource = statements(config.processors['transform/optel'].metric_statements, 'resource');
    const values = ['linux', 'alice-macbook', 'amd64', 'x86_64', 'nodejs', '1.4.2', 'v20.20.2', '2026.12.1-rc.1', '/home/alice/x', 'Alice Smith',
      'optel', 'OpTel', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-00000000000G', 'a\nb', ''];
    let shapes = 0;
    for (const key of RESOURCE_ATTRIBUTE_ALLOWLIST) {
      const shaped = resource.find((t) => t.startsWith(`delete_key(attributes, "${key}") where IsString(attributes["${key}"]) and not IsMatch(`));
      const sample = { key, value: { stringValue: '' } };
      if (resourceValueProblem(key, 'no such shape, any label') === undefined && resourceValueProblem(key, '') === undefined) {
        expect(shaped, key).toBeUndefined();
        continue;
      }
      // The pattern as OTTL reads it: RE2 and JS agree on this subset (anchors, classes, counted repeats).
      shapes++;
      const source = /IsMatch\(attributes\["[^"]+"\], "(.*)"\)$/.exec(shaped!)![1]!.replace(/\\\\/g, '\\').replace(/\$\$/g, '$');
      for (const value of values) {
        sample.value.stringValue = value;
        const kept = filterResource({ attributes: [sample], droppedAttributesCount: 0, entityRefs: [] }, createReasons('items'))!.attributes.length === 1;
        expect(new RegExp(source).test(value), `${key}=${JSON.stringify(value)}`).toBe(kept || value.length > 128);
      }
    }
    expect(shapes).toBe(9);
  });

  it('allows in logs only the events on the events tier, and in traces only timed events on the traces tier', () => {
    const logsAllowed = config.processors['filter/optel'].logs.log_record[0] ?? '';
    for (const [name, event] of Object.entries(todo.events)) {
      expect(logsAllowed.includes(`"${name}"`)).toBe(eventTiers(event).includes('events'));
    }
  });
});

describe('the Collector configuration for any catalog', () => {
  it('quotes values that need it as OTTL strings', () => {
    const odd = defineCatalog({ app: 'odd', events: { 'odd.cli.ran': { description: 'x', attributes: { mode: attr.enum(['say "hi"', 'back\\slash']) } } } });
    const datapoints = (parse(renderCollectorConfig(odd)) as Config).processors['filter/optel'].metrics.datapoint;
    expect(datapoints.find((c) => c.includes('"mode"'))).toContain('attributes["mode"] == "say \\"hi\\"" or attributes["mode"] == "back\\\\slash"');
  });

  it('doubles every $, so the Collector expands no ${env:…} or $NAME out of a catalog value', () => {
    const odd = defineCatalog({ app: 'odd', events: { 'odd.cli.ran': { description: 'x', attributes: { mode: attr.enum(['${env:HOME}', '$PATH']) } } } });
    const datapoints = (parse(renderCollectorConfig(odd)) as Config).processors['filter/optel'].metrics.datapoint;
    expect(datapoints.find((c) => c.includes('"mode"'))).toContain('attributes["mode"] == "$${env:HOME}" or attributes["mode"] == "$$PATH"');
  });

  it('matches semantic versions exactly as the SDK reduces them, at every precision', () => {
    for (const precision of ['patch', 'minor', 'major'] as const) {
      const def = attr.semver({ precision });
      const rule = compileRule(def);
      const config = renderCollectorConfig(defineCatalog({ app: 'x', events: { 'x.cli.run': { description: 'x', attributes: { v: def } } } }));
      const source = /IsMatch\(attributes\["v"\], "((?:[^"\\]|\\.)*)"\)/.exec(config)![1]!.replace(/\\\\/g, '\\').replace(/\$\$/g, '$');
      const pattern = new RegExp(source);
      for (const v of ['1.2.3', '0.0.0', '10.20.30-beta', '1.2.3-rc', '01.2.3', '1.2', '1', '1.2.3-beta.1', '1.2.3+build', 'v1.2.3', '1.2.3-preview', '1.2.3-foo']) {
        expect(pattern.test(v)).toBe(typeof rule.accepts(v) === 'string');
      }
    }
  });

  it('keeps every regex repeat count within RE2\'s limit of 1000, even for the longest text', () => {
    const config = renderCollectorConfig(defineCatalog({ app: 'x', events: { 'x.note.added': { description: 'x', tiers: ['events'], attributes: { note: attr.text({ maxLength: 1024 }) } } } }));
    const counts = [...config.matchAll(/\{(\d+)(?:,\d*)?\}/g)].map((m) => Number(m[1]));
    expect(Math.max(...counts)).toBeLessThanOrEqual(1000);
    expect(config).toContain('replace_pattern(attributes["note"], "(?s)^(.{1000}.{24}).+", "$$1")');
  });

  it('takes the example endpoints it is given', () => {
    const c = parse(renderCollectorConfig(defineCatalog({ app: 'x', events: {} }), { listen: '127.0.0.1:4318', exportTo: 'mimir:4317' })) as Config;
    expect(c.exporters.otlp.endpoint).toBe('mimir:4317');
    expect(c.processors['filter/optel'].traces.span[0]).toBe('not (false)');
  });
});
