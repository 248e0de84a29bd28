import { describe, expect, it } from 'vitest';
import { decodeRequest } from '../../src/otlp/decode.js';
import { requestPlan } from '../../src/otlp/field-plan.js';
import { encodeProtobuf as encodeMessage } from '../../src/otlp/protobuf-encoder.js';
import { OTLP_SIGNALS, type OtlpSignal } from '../../src/otlp/signals.js';
import type { OtlpRequestMap } from '../../src/otlp/types.js';
import { counter, countPoint, durationPoint, durations, logRecord, logs, metrics, span, traces } from '../gateway/fixtures.js';
import { chooser, randomRequest, rng } from '../gateway/random-otlp.js';
import { officialEncode } from '../support/official-codec.js';

const encodeProtobuf = <S extends OtlpSignal>(signal: S, request: OtlpRequestMap[S]) => encodeMessage(requestPlan(signal), request);

const PROTOBUF = { contentType: 'application/x-protobuf' };

describe("the codec's protobuf encoder", () => {
  it.each(OTLP_SIGNALS)('writes random %s requests byte for byte as the reference encoder does', (signal) => {
    const c = chooser(rng(0x5eed + signal.length));
    for (let i = 0; i < 300; i++) {
      const request = randomRequest(signal, c);
      const ours = Buffer.from(encodeProtobuf(signal, request));
      const reference = Buffer.from(officialEncode(signal, request));
      if (!ours.equals(reference)) expect({ i, request, ours: ours.toString('hex') }).toEqual({ i, request, ours: reference.toString('hex') });
    }
  });

  it('encodes what the SDK sends so that it decodes back to the same request', () => {
    const requests = {
      metrics: metrics([counter('shop.cli.invoked', [countPoint({ 'cli.command': 'buy' }, 7)]), durations('shop.cli.invoked', [durationPoint({ success: true })])]),
      logs: logs([logRecord('shop.search.typed', { query: 'shoes' })]),
      traces: traces([span('shop.cli.invoked', { 'exit.code': 3 })]),
    };
    for (const signal of OTLP_SIGNALS) {
      expect(decodeRequest(signal, encodeProtobuf(signal, requests[signal]), PROTOBUF)).toEqual(requests[signal]);
    }
  });

  it('writes a lone UTF-16 surrogate as U+FFFD, so the output is always valid UTF-8', () => {
    const request = logs([logRecord('shop.search.typed', { query: 'bad \ud800 half' })]);
    const decoded = decodeRequest('logs', encodeProtobuf('logs', request), PROTOBUF);
    expect(decoded.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.attributes[0]?.value).toEqual({ stringValue: 'bad \ufffd half' });
  });

  it('encodes the empty request as zero bytes', () => {
    expect(encodeProtobuf('metrics', { resourceMetrics: [] })).toHaveLength(0);
  });
});
