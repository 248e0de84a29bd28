import { describe, expect, it } from 'vitest';
import { decodeRequest, OtlpDecodeError } from '../../src/otlp/decode.js';
import { encodeRequest } from '../../src/otlp/encode.js';
import { OTLP_SIGNALS, type OtlpSignal } from '../../src/otlp/signals.js';
import { chooser, randomRequest, rng } from '../gateway/random-otlp.js';

const JSON_TYPE = 'application/json';
const PROTOBUF_TYPE = 'application/x-protobuf';

/** What a decoder made of a body: the request, or the status and reason it refused it with. */
function outcome(decode: () => unknown): unknown {
  try {
    return { ok: decode() };
  } catch (err) {
    if (!(err instanceof OtlpDecodeError)) throw err;
    return { status: err.status, reason: err.message };
  }
}

const JUNK: unknown[] = [null, true, 0, -1, 1.5, '', 'x', '12', '-0', 'NaN', 'SEVERITY_NUMBER_INFO', 'AAEC', '0102', [], [1], {}, { a: 1 }, 2 ** 40];

/** Replaces one random node of a parsed JSON tree with junk, or adds an unknown key. */
function mutate(tree: unknown, c: ReturnType<typeof chooser>): unknown {
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach((v, i) => (nodes.push({ parent: node, key: i }), walk(v)));
    else if (typeof node === 'object' && node !== null) {
      for (const [k, v] of Object.entries(node)) nodes.push({ parent: node as Record<string, unknown>, key: k }), walk(v);
    }
  };
  walk(tree);
  const junk = () => structuredClone(c.pick(JUNK));
  if (nodes.length === 0) return junk();
  const { parent, key } = c.pick(nodes);
  if (c.chance(0.15) && !Array.isArray(parent)) (parent as Record<string, unknown>)[c.pick(['unknownKey', 'constructor', '__proto__', 'toString'])] = junk();
  else (parent as Record<string | number, unknown>)[key] = junk();
  return tree;
}

/** Whether `path` (as a 400 names it, e.g. `resourceSpans[0].resource`) leads somewhere in `tree`. */
function resolves(tree: unknown, path: string): boolean {
  let node = tree;
  for (const [, key, index] of path.matchAll(/\.?([A-Za-z]+)|\[(\d+)\]/g)) {
    if (typeof node !== 'object' || node === null) return false;
    const next = index !== undefined ? (node as unknown[])[Number(index)] : (node as Record<string, unknown>)[key as string];
    if (next === undefined) return false;
    node = next;
  }
  return true;
}

describe('OTLP/JSON decoding', () => {
  it.each(OTLP_SIGNALS)('decodes random %s requests to what their protobuf encoding decodes to', (signal: OtlpSignal) => {
    const c = chooser(rng(0x1e55 + signal.length));
    for (let i = 0; i < 200; i++) {
      // Through protobuf first: random values out of a field's range (a negative uint32) wrap there.
      const canonical = decodeRequest(signal, encodeRequest(signal, randomRequest(signal, c), 'protobuf'), { contentType: PROTOBUF_TYPE });
      expect(decodeRequest(signal, encodeRequest(signal, canonical, 'json'), { contentType: JSON_TYPE })).toEqual(canonical);
    }
  });

  it.each(OTLP_SIGNALS)('refuses mutated %s bodies with a 400 that names the offending path', (signal: OtlpSignal) => {
    const c = chooser(rng(0xbad + signal.length));
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      let tree: unknown = JSON.parse(Buffer.from(encodeRequest(signal, randomRequest(signal, c), 'json')).toString());
      for (let m = 1 + c.int(3); m > 0; m--) tree = mutate(tree, c);
      const result = outcome(() => decodeRequest(signal, Buffer.from(JSON.stringify(tree) ?? 'null'), { contentType: JSON_TYPE })) as
        { ok?: unknown; status?: number; reason?: string };
      if (result.ok) continue;
      refused++;
      expect(result.status).toBe(400);
      const reason = result.reason as string;
      if (reason.startsWith('JSON body must be an object')) continue;
      // The fast walk found a problem; the traced walk must find the same one and say where it is.
      const path = reason.slice(0, reason.indexOf(' '));
      expect(resolves(tree, path), reason).toBe(true);
    }
    // The mutations must actually reach the error paths, not just unknown keys.
    expect(refused).toBeGreaterThan(100);
  });

  it('decodes a body that starts with a byte-order mark', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"resourceSpans":[]}')]);
    expect(decodeRequest('traces', body, { contentType: JSON_TYPE })).toEqual({ resourceSpans: [] });
  });

  it.each([
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), 'body is not valid UTF-8 JSON'],
    ['broken syntax', Buffer.from('{"resourceSpans":['), 'body is not valid UTF-8 JSON'],
    ['a top-level array', Buffer.from('[]'), 'JSON body must be an object (an ExportTraceServiceRequest)'],
    ['an array where a message belongs', Buffer.from(`{"resourceSpans":${'['.repeat(100)}${']'.repeat(100)}}`), 'resourceSpans[0] must be an object'],
  ])('answers 400 for %s, saying why', (_, body, reason) => {
    expect(outcome(() => decodeRequest('traces', body, { contentType: JSON_TYPE }))).toEqual({ status: 400, reason });
  });

  it("holds 32-bit numbers and enums to their field's own range (a JSON upstream would get them as sent)", () => {
    const record = (fields: Record<string, unknown>) =>
      Buffer.from(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1', ...fields }] }] }] }));
    const decode = (fields: Record<string, unknown>) => outcome(() => decodeRequest('logs', record(fields), { contentType: JSON_TYPE }));
    const where = 'resourceLogs[0].scopeLogs[0].logRecords[0]';
    expect(decode({ severityNumber: 1e300 })).toEqual({ status: 400, reason: `${where}.severityNumber must be an enum number or name` });
    expect(decode({ severityNumber: 2 ** 31 })).toMatchObject({ status: 400 });
    expect(decode({ droppedAttributesCount: -1 })).toEqual({ status: 400, reason: `${where}.droppedAttributesCount must be an unsigned 32-bit integer` });
    expect(decode({ droppedAttributesCount: 2 ** 32 })).toMatchObject({ status: 400 });
    expect(decode({ droppedAttributesCount: 2 ** 32 - 1, flags: 2 ** 32 - 1, severityNumber: 9 })).toMatchObject({ ok: {} });
  });

  it('counts depth on the OTLP structure only: deep nesting under an unknown key costs a parse, nothing more', () => {
    const body = Buffer.from(`{"resourceSpans":[],"extension":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(decodeRequest('traces', body, { contentType: JSON_TYPE })).toEqual({ resourceSpans: [] });
  });
});
