import { describe, expect, it } from 'vitest';
import { filterRequest } from '../../src/gateway/filter-request.js';
import { decodeRequest } from '../../src/otlp/decode.js';
import { encodeRequest } from '../../src/otlp/encode.js';
import type { OtlpSignal } from '../../src/otlp/signals.js';
import type { OtlpLogsRequest, OtlpMetricsRequest, OtlpRequestMap, OtlpTracesRequest } from '../../src/otlp/types.js';
import { catalog, counter, countPoint, durationPoint, durations, index, kv, logRecord, logs, metrics, resource, span, traces } from './fixtures.js';
import { chooser, rng } from './random-otlp.js';

// `unchanged` is what lets the gateway forward a client's protobuf bytes instead of its own encoding
// of the filtered request: it must never be true when filtering changed anything at all.

const description = (event: keyof typeof catalog.events) => catalog.events[event].description;

/** Metrics exactly as the SDK sends them for the test catalog: nothing for the gateway to change. */
function cleanMetrics(): OtlpMetricsRequest {
  const count = counter('shop.cli.invoked', [countPoint({ 'cli.command': 'buy', success: true, 'exit.code': 0 }, 2), countPoint({ 'cli.command': 'list', success: false, 'exit.code': 3 })]);
  const timing = durations('shop.cli.invoked', [durationPoint({ 'cli.command': 'buy', success: true, 'exit.code': 0 }, [1, 1])]);
  for (const m of [count, timing]) m.description = description('shop.cli.invoked');
  return metrics([count, timing]);
}

function cleanLogs(): OtlpLogsRequest {
  return logs([logRecord('shop.search.typed', { query: 'red shoes' }), logRecord('shop.cli.invoked', { 'cli.command': 'buy' })]);
}

function cleanTraces(): OtlpTracesRequest {
  return traces([span('shop.cli.invoked', { 'cli.command': 'list', success: true })]);
}

const CLEAN = { metrics: cleanMetrics, logs: cleanLogs, traces: cleanTraces };

/** A case: a clean request of `signal` with `change` made to it. */
function changed<S extends OtlpSignal>(signal: S, change: (request: OtlpRequestMap[S]) => void) {
  return () => {
    const request = CLEAN[signal]() as OtlpRequestMap[S];
    change(request);
    return { signal, request };
  };
}

/** Filters a copy; says whether it reported the request unchanged, and whether the encoding really is the same. */
function judge<S extends OtlpSignal>(signal: S, request: OtlpRequestMap[S]): { unchanged: boolean; same: boolean } {
  const outcome = filterRequest(signal, structuredClone(request), index);
  const same = Buffer.from(encodeRequest(signal, outcome.request, 'protobuf')).equals(encodeRequest(signal, request, 'protobuf'));
  return { unchanged: outcome.unchanged, same };
}

const firstMetrics = (r: OtlpMetricsRequest) => r.resourceMetrics[0]!.scopeMetrics[0]!.metrics;
const firstRecords = (r: OtlpLogsRequest) => r.resourceLogs[0]!.scopeLogs[0]!.logRecords;

/** Changes the filter makes without a reason to give: each must still mark the request changed. */
const SILENT_EDITS: Record<string, () => { signal: OtlpSignal; request: OtlpRequestMap[OtlpSignal] }> = {
  'a description other than the catalog\'s': changed('metrics', (r) => {
    firstMetrics(r)[0]!.description = 'free text';
  }),
  'a metric sent without points': changed('metrics', (r) => {
    firstMetrics(r).push({ ...counter('shop.cart.viewed', []), description: description('shop.cart.viewed') });
  }),
  'a scope sent without items': changed('metrics', (r) => {
    r.resourceMetrics[0]!.scopeMetrics.push({ scope: { name: 'optel', version: '', attributes: [], droppedAttributesCount: 0 }, metrics: [], schemaUrl: '' });
  }),
  'a resource sent without scopes': changed('logs', (r) => {
    r.resourceLogs.push({ resource: resource(), scopeLogs: [], schemaUrl: '' });
  }),
  'a resource attribute sent twice': changed('traces', (r) => {
    r.resourceSpans[0]!.resource!.attributes.push(...kv({ 'service.name': 'other' }));
  }),
  'a resource value the redactor changes': changed('metrics', (r) => {
    r.resourceMetrics[0]!.resource = resource({ 'service.name': 'ann@example.com' });
  }),
  'an attribute value the redactor changes': changed('logs', (r) => {
    firstRecords(r)[0]!.attributes = [...kv({ query: 'mail ann@example.com' }), ...kv({ 'event.name': 'shop.search.typed' })];
  }),
  'an integer attribute sent as a double': changed('traces', (r) => {
    r.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes.push({ key: 'exit.code', value: { doubleValue: 2 } });
  }),
  'two resources alike': changed('metrics', (r) => {
    const other = metrics([{ ...counter('shop.cart.viewed', [countPoint({})]), description: description('shop.cart.viewed') }]);
    r.resourceMetrics.push(...other.resourceMetrics);
  }),
  'one metric name twice in a scope': changed('metrics', (r) => {
    firstMetrics(r).push({ ...counter('shop.cli.invoked', [countPoint({ 'cli.command': 'list' })]), description: description('shop.cli.invoked') });
  }),
  'a log record named only by its attribute': changed('logs', (r) => {
    firstRecords(r)[0]!.eventName = '';
  }),
  'an event.name attribute not last': changed('logs', (r) => {
    firstRecords(r)[0]!.attributes.reverse();
  }),
  'an event.name attribute sent twice': changed('logs', (r) => {
    firstRecords(r)[0]!.attributes.unshift(...kv({ 'event.name': 'shop.search.typed' }));
  }),
  'an empty log body': changed('logs', (r) => {
    firstRecords(r)[0]!.body = {};
  }),
};

/** One random change anywhere in a request: a value replaced, a field or entry removed, an entry doubled, a list reversed. */
function changeOneField(request: unknown, c: ReturnType<typeof chooser>): void {
  const slots: [Record<string | number, unknown>, string | number][] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach((x, i) => (slots.push([v as unknown as Record<number, unknown>, i]), walk(x)));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) (slots.push([v as Record<string, unknown>, k]), walk(x));
  };
  walk(request);
  const [holder, key] = c.pick(slots);
  const current = holder[key];
  const other = (): unknown => {
    if (typeof current === 'string') return c.pick(['', 'optel', 'buy', 'list', 'ann@example.com', 'shop.cli.invoked', 'shop.search.typed', '0', '7', '-1', `${current}x`]);
    if (typeof current === 'number') return c.pick([0, 1, 2, -1, 0.5, 3, 255, 256, 2 ** 31]);
    if (typeof current === 'boolean') return !current;
    return Array.isArray(current) ? [] : {};
  };
  switch (c.int(4)) {
    case 0:
      holder[key] = other();
      return;
    case 1:
      if (Array.isArray(holder)) holder.splice(key as number, 1);
      else delete holder[key];
      return;
    case 2:
      if (Array.isArray(holder)) holder.splice(key as number, 0, structuredClone(current));
      else holder[key] = other();
      return;
    default:
      if (Array.isArray(current)) current.reverse();
      else holder[key] = other();
  }
}

describe('whether filtering left a request unchanged', () => {
  it.each(Object.entries(CLEAN) as [OtlpSignal, () => OtlpRequestMap[OtlpSignal]][])('says so for %s exactly as the SDK sends them', (signal, clean) => {
    expect(judge(signal, clean())).toEqual({ unchanged: true, same: true });
  });

  it.each(Object.keys(SILENT_EDITS))('says changed for %s, though partial success has no reason to give', (name) => {
    const { signal, request } = (SILENT_EDITS[name] as () => { signal: OtlpSignal; request: OtlpRequestMap[OtlpSignal] })();
    expect(judge(signal, request)).toEqual({ unchanged: false, same: false });
  });

  it('never says unchanged when the filtered request encodes differently, over thousands of random one-field changes', () => {
    const c = chooser(rng(0x5eed));
    const seen = { unchanged: 0, changed: 0 };
    for (let i = 0; i < 3_000; i++) {
      const signal = c.pick(['metrics', 'logs', 'traces'] as const);
      const mutated = CLEAN[signal]() as unknown;
      changeOneField(mutated, c);
      // Through the codec, as the gateway meets it: a change the shape cannot hold is no request.
      let request: OtlpRequestMap[OtlpSignal];
      try {
        request = decodeRequest(signal, encodeRequest(signal, mutated as never, 'protobuf'), { contentType: 'application/x-protobuf' });
      } catch {
        continue;
      }
      const verdict = judge(signal, request);
      if (verdict.unchanged && !verdict.same) expect({ i, request }).toEqual({ i, request: 'reported unchanged, but filtering changed it' });
      seen[verdict.unchanged ? 'unchanged' : 'changed']++;
    }
    expect(seen.unchanged).toBeGreaterThan(200);
    expect(seen.changed).toBeGreaterThan(200);
  });
});

