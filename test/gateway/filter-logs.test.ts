import { describe, expect, it } from 'vitest';
import { filterRequest } from '../../src/gateway/filter-request.js';
import type { OtlpLogRecord, OtlpLogsRequest } from '../../src/otlp/types.js';
import { index, logRecord, logs, values } from './fixtures.js';

const filter = (request: OtlpLogsRequest) => filterRequest('logs', request, index);
const records = (request: OtlpLogsRequest): OtlpLogRecord[] => request.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords));

describe('filtering log records', () => {
  it('keeps an events-tier record with its event name and events-only attributes', () => {
    const project = 'ab'.repeat(16);
    const outcome = filter(logs([logRecord('shop.cli.invoked', { 'cli.command': 'buy', project, note: 'bought 2 things' })]));
    expect(outcome).toMatchObject({ accepted: 1, rejected: 0, message: '' });
    const [record] = records(outcome.request);
    expect(record?.eventName).toBe('shop.cli.invoked');
    expect(values(record?.attributes ?? [])).toEqual({ 'cli.command': 'buy', project, note: 'bought 2 things', 'event.name': 'shop.cli.invoked' });
  });

  it('redacts text values again, whatever the client did', () => {
    const outcome = filter(logs([logRecord('shop.search.typed', { query: 'mail ann@example.com' })]));
    expect(values(records(outcome.request)[0]?.attributes ?? []).query).toBe('mail <email>');
  });

  it('rejects and counts records of events the catalog does not name', () => {
    const outcome = filter(logs([logRecord('shop.secret.tracked'), logRecord('shop.cart.viewed.extra'), logRecord('shop.cli.invoked')]));
    expect(outcome).toMatchObject({ accepted: 1, rejected: 2 });
    expect(outcome.message).toContain('"shop.secret.tracked" (not in the catalog)');
  });

  it('rejects a record of an event that is only on the metrics tier', () => {
    const onlyMetrics = filterRequest('logs', logs([logRecord('shop.telemetry.dropped')]), index);
    expect(onlyMetrics).toMatchObject({ accepted: 0, rejected: 1 });
    expect(onlyMetrics.message).toContain('not on the events tier');
  });

  it('rejects records without an event name, or whose two names disagree', () => {
    const nameless = { ...logRecord('x'), eventName: '', attributes: [] };
    const disagreeing = { ...logRecord('shop.cli.invoked'), eventName: 'shop.search.typed' };
    expect(filter(logs([nameless, disagreeing]))).toMatchObject({ accepted: 0, rejected: 2 });
  });

  it('takes the event from the event.name attribute when eventName is empty', () => {
    const record = { ...logRecord('shop.search.typed', { query: 'shoes' }), eventName: '' };
    const outcome = filter(logs([record]));
    expect(outcome.accepted).toBe(1);
    expect(records(outcome.request)[0]?.eventName).toBe('shop.search.typed');
  });

  it('removes unknown attributes, the body and free severity text, and says what it removed', () => {
    const record: OtlpLogRecord = {
      ...logRecord('shop.search.typed', { query: 'shoes', 'client.address': '203.0.113.9' }),
      body: { stringValue: 'user ann searched from /home/ann' },
      severityText: 'ann was here',
    };
    const outcome = filter(logs([record]));
    expect(outcome).toMatchObject({ accepted: 1, rejected: 0 });
    const [out] = records(outcome.request);
    expect(out?.body).toBeUndefined();
    expect(out?.severityText).toBe('');
    expect(values(out?.attributes ?? [])).toEqual({ query: 'shoes', 'event.name': 'shop.search.typed' });
    expect(out?.droppedAttributesCount).toBe(0);
    expect(outcome.message).toMatch(/removed: .*client\.address.*log bodies.*severity text/);
  });

  it('clears every flag bit: with no trace context, no trace flags describe a record', () => {
    const [out] = records(filter(logs([{ ...logRecord('shop.search.typed', { query: 'shoes' }), flags: 0x4142_4301 }])).request);
    expect(out?.flags).toBe(0);
  });

  it('makes severity numbers OTLP does not define unspecified, and keeps the ones it does', () => {
    const sent = [-1, 25, 0x7fff_ffff, 0, 9, 24].map((severityNumber) => ({ ...logRecord('shop.search.typed', { query: 'shoes' }), severityNumber }));
    const outcome = filter(logs(sent));
    expect(records(outcome.request).map((r) => r.severityNumber)).toEqual([0, 0, 0, 0, 9, 24]);
    expect(outcome).toMatchObject({ accepted: 6, rejected: 0 });
    expect(outcome.message).toContain('severity numbers OTLP does not define (×3)');
  });

  it('forwards no dropped-attributes count: the SDK sends none, so a client\'s is a number of its choosing', () => {
    const record: OtlpLogRecord = { ...logRecord('shop.search.typed', { query: 'shoes', junk: 1 }), droppedAttributesCount: 1633771873 };
    const outcome = filter(logs([record]));
    expect(records(outcome.request)[0]?.droppedAttributesCount).toBe(0);
    expect(outcome.message).toContain('dropped counts');
  });

  it('drops an empty body (what OTel\'s JSON serializer writes for none) without calling it a removal', () => {
    const outcome = filter(logs([{ ...logRecord('shop.search.typed', { query: 'shoes' }), body: {} }]));
    expect(outcome).toMatchObject({ accepted: 1, rejected: 0 });
    expect(records(outcome.request)[0]?.body).toBeUndefined();
    expect(outcome.message).toBe('');
  });

  it('clears trace context and its flags, which the SDK never attaches: any ids there are bytes the client chose', () => {
    const smuggled = { ...logRecord('shop.search.typed', { query: 'shoes' }), traceId: Buffer.from('ann@example.com').toString('hex'), spanId: 'eee19b7ec3c1b174' };
    const linked = { ...logRecord('shop.search.typed', { query: 'hats' }), traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', flags: 1 };
    const outcome = filter(logs([smuggled, linked]));
    expect(outcome).toMatchObject({ accepted: 2, rejected: 0 });
    expect(records(outcome.request).map((r) => [r.traceId, r.spanId, r.flags])).toEqual([['', '', 0], ['', '', 0]]);
    expect(outcome.message).toContain('trace context of log records');
  });
});
