import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/gateway/decode-body.js';
import { decodeRequest, OtlpDecodeError } from '../../src/otlp/decode.js';
import { encodeRequest } from '../../src/otlp/encode.js';
import { OTLP_SIGNALS, type OtlpSignal } from '../../src/otlp/signals.js';
import { chooser, randomRequest, rng } from './random-otlp.js';

const JSON_TYPE = 'application/json';

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

describe("the gateway's JSON decoding", () => {
  it.each(OTLP_SIGNALS)('decodes random %s requests exactly as decodeRequest does', (signal: OtlpSignal) => {
    const c = chooser(rng(0x1e55 + signal.length));
    for (let i = 0; i < 200; i++) {
      const body = encodeRequest(signal, randomRequest(signal, c), 'json');
      const ours = outcome(() => decodeBody(signal, body, { contentType: JSON_TYPE, contentEncoding: undefined, maxBytes: 1e8 }).request);
      expect(ours).toEqual(outcome(() => decodeRequest(signal, body, { contentType: JSON_TYPE })));
    }
  });

  it.each(OTLP_SIGNALS)('refuses mutated %s bodies with the same status and reason as decodeRequest', (signal: OtlpSignal) => {
    const c = chooser(rng(0xbad + signal.length));
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      let tree: unknown = JSON.parse(Buffer.from(encodeRequest(signal, randomRequest(signal, c), 'json')).toString());
      for (let m = 1 + c.int(3); m > 0; m--) tree = mutate(tree, c);
      const body = Buffer.from(JSON.stringify(tree) ?? 'null');
      const theirs = outcome(() => decodeRequest(signal, body, { contentType: JSON_TYPE }));
      expect(outcome(() => decodeBody(signal, body, { contentType: JSON_TYPE, contentEncoding: undefined, maxBytes: 1e8 }).request)).toEqual(theirs);
      if ((theirs as { status?: number }).status) refused++;
    }
    // The mutations must actually reach the error paths, not just unknown keys.
    expect(refused).toBeGreaterThan(100);
  });

  it.each([
    ['a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"resourceSpans":[]}')])],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
    ['deep nesting', Buffer.from(`{"resourceSpans":${'['.repeat(100)}${']'.repeat(100)}}`)],
    ['a top-level array', Buffer.from('[]')],
    ['broken syntax', Buffer.from('{"resourceSpans":[')],
  ])('treats %s as decodeRequest does', (_, body) => {
    expect(outcome(() => decodeBody('traces', body, { contentType: JSON_TYPE, contentEncoding: undefined, maxBytes: 1e8 }).request))
      .toEqual(outcome(() => decodeRequest('traces', body, { contentType: JSON_TYPE })));
  });
});
