import { describe, expect, it } from 'vitest';
import { filterRequest } from '../../src/gateway/filter-request.js';
import type { OtlpSpan, OtlpTracesRequest } from '../../src/otlp/types.js';
import { index, kv, span, traces, values } from './fixtures.js';

const filter = (request: OtlpTracesRequest) => filterRequest('traces', request, index);
const spans = (request: OtlpTracesRequest): OtlpSpan[] => request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));

describe('filtering spans', () => {
  it('keeps a span of a timed traces-tier event as it came', () => {
    const sent = span('shop.cli.invoked', { 'cli.command': 'list', success: false, 'error.type': 'ENOENT' });
    const outcome = filter(traces([structuredClone(sent)]));
    expect(outcome).toMatchObject({ accepted: 1, rejected: 0, message: '' });
    expect(spans(outcome.request)[0]).toEqual(sent);
  });

  it('rejects and counts spans of unknown events and of events off the traces tier', () => {
    const outcome = filter(traces([span('GET /home/ann/secret'), span('shop.cart.viewed'), span('shop.cli.invoked')]));
    expect(outcome).toMatchObject({ accepted: 1, rejected: 2 });
    expect(outcome.message).toContain('not in the catalog');
    expect(outcome.message).toContain('spans of event shop.cart.viewed (not on the traces tier)');
    expect(outcome.message).not.toContain('/home/ann');
  });

  it('removes attributes the event does not declare, span events, links, trace state and status text', () => {
    const sent: OtlpSpan = {
      ...span('shop.cli.invoked', { 'cli.command': 'buy', 'http.url': 'https://shop.example/?token=abc' }),
      traceState: 'vendor=ann',
      events: [{ timeUnixNano: '1', name: 'exception', attributes: kv({ 'exception.message': 'ENOENT: /home/ann/x' }), droppedAttributesCount: 0 }],
      links: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', traceState: '', attributes: [], droppedAttributesCount: 0, flags: 0 }],
      status: { message: 'failed for ann@example.com', code: 2 },
    };
    const outcome = filter(traces([sent]));
    const [out] = spans(outcome.request);
    expect(values(out?.attributes ?? [])).toEqual({ 'cli.command': 'buy' });
    expect(out).toMatchObject({ traceState: '', events: [], links: [], status: { message: '', code: 2 }, droppedEventsCount: 0, droppedLinksCount: 0 });
    expect(outcome.rejected).toBe(0);
  });

  it('keeps only the flag bits the SDK can set, and forwards no dropped counts', () => {
    const s: OtlpSpan = {
      ...span('shop.cli.invoked', { 'cli.command': 'buy', junk: 1 }), flags: 0x7fff_ffff,
      droppedAttributesCount: 1633771873, droppedEventsCount: 1667457891, droppedLinksCount: 1701143909,
      events: [{ timeUnixNano: '1', name: 'x', attributes: [], droppedAttributesCount: 0 }],
    };
    const outcome = filter(traces([s]));
    expect(spans(outcome.request)[0]).toMatchObject({ flags: 0x303, droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0 });
    expect(outcome.message).toContain('undefined flag bits');
    expect(outcome.message).toContain('dropped counts (×3)');
  });

  it('makes every span a root, as the SDK\'s are: a parent id is bytes the client chose', () => {
    const outcome = filter(traces([{ ...span('shop.cli.invoked'), parentSpanId: Buffer.from('/home/al').toString('hex') }]));
    expect(outcome).toMatchObject({ accepted: 1, rejected: 0 });
    expect(spans(outcome.request)[0]?.parentSpanId).toBe('');
    expect(outcome.message).toContain('parent span ids');
  });

  it('makes span kinds and status codes OTLP does not define unspecified, and keeps the ones it does', () => {
    const sent: OtlpSpan[] = [
      { ...span('shop.cli.invoked'), kind: 6, status: { message: '', code: 3 } },
      { ...span('shop.cli.invoked'), kind: -2, status: { message: '', code: -1 } },
      { ...span('shop.cli.invoked'), kind: 5, status: { message: '', code: 2 } },
    ];
    const outcome = filter(traces(sent));
    expect(spans(outcome.request).map((s) => [s.kind, s.status?.code])).toEqual([[0, 0], [0, 0], [5, 2]]);
    expect(outcome.message).toContain('span kinds OTLP does not define (×2)');
    expect(outcome.message).toContain('status codes OTLP does not define (×2)');
  });

  it('rejects and counts spans whose ids are not OTLP ids', () => {
    const good = span('shop.cli.invoked', { 'cli.command': 'list' });
    const bad = [
      { ...good, traceId: Buffer.from('ann@example.com, 555-0100').toString('hex') },
      { ...good, traceId: '' },
      { ...good, spanId: '0000000000000000' },
      { ...good, spanId: 'ee' },
    ];
    const outcome = filter(traces([...bad, good]));
    expect(outcome).toMatchObject({ accepted: 1, rejected: 4 });
    expect(outcome.message).toContain('not a valid OTLP id');
  });
});
