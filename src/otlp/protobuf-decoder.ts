import { OtlpDecodeError, tooManyMessages } from './errors.js';
import { allMessagePlans, type FieldPlan, type MessagePlan } from './field-plan.js';
import { type WireField, WIRE_TYPES, wireFields } from './protobuf-fields.js';
import { createReadHelpers, type ReadHelpers } from './protobuf-reader.js';

/**
 * Deepest message nesting accepted (the request itself is depth 0), the limit protoc and
 * protobufjs use too. Real OTLP needs about 8 levels plus 2 per nested AnyValue.
 */
const MAX_MESSAGE_DEPTH = 100;

type Decode = (plan: number, bytes: Uint8Array, maxMessages: number) => DecodedMessage;

/** A decoded message, and whether the decode was exact. */
export interface DecodedMessage {
  readonly message: Record<string, unknown>;
  /**
   * True when the bytes hold nothing the message does not show, so forwarding them is forwarding
   * the message (what that takes: `ReadHelpers.wasExact`).
   */
  readonly exact: boolean;
}

let compiled: { decode: Decode; index: ReadonlyMap<MessagePlan, number> } | undefined;

/**
 * Decodes an OTLP protobuf message straight into the normalized (OTLP/JSON) shape. Protobuf bodies
 * are where a gateway's volume is, so rather than decode into protobufjs objects and convert those,
 * one function per message type is generated from the schema and wire tables, once, as the encoder
 * is (`test/otlp/protobuf-decoder.test.ts` holds it to OpenTelemetry's generated code). It follows
 * proto3: unknown fields are skipped, packed and unpacked repeated scalars are both read, the last
 * value of a singular field and the last member of a oneof win, strings must be UTF-8. One liberty,
 * protobufjs's: a singular sub-message sent twice keeps the second rather than merging the two.
 *
 * Throws `OtlpDecodeError`: 400 past `MAX_MESSAGE_DEPTH`, 413 past `maxMessages` messages (each
 * costs an object however few bytes it took); a plain `Error` for anything else malformed.
 */
export function decodeProtobuf(plan: MessagePlan, bytes: Uint8Array, maxMessages: number): DecodedMessage {
  compiled ??= compile();
  return compiled.decode(compiled.index.get(plan) as number, bytes, maxMessages);
}

function compile(): { decode: Decode; index: ReadonlyMap<MessagePlan, number> } {
  const plans = allMessagePlans();
  const index = new Map(plans.map((plan, i) => [plan, i]));
  const source: string[] = [];
  for (const [i, plan] of plans.entries()) source.push(decoderCode(i, plan, index));
  source.push(`var D = [${plans.map((_, i) => `D${i}`).join(', ')}], limit = 0, left = 0;`);
  source.push(
    'return function decode(p, bytes, max) { limit = left = max; try { var message = D[p](h.begin(bytes), 0); return { message: message, exact: h.wasExact() }; } finally { h.finish(); } };',
  );
  const factory = new Function('h', 'tooDeep', 'tooMany', source.join('\n')) as (
    h: ReadHelpers,
    tooDeep: () => never,
    tooMany: (limit: number) => never,
  ) => Decode;
  return { decode: factory(createReadHelpers(), tooDeep, tooMany), index };
}

function tooMany(limit: number): never {
  throw tooManyMessages(limit);
}

function tooDeep(): never {
  throw new OtlpDecodeError(400, `protobuf messages nest deeper than ${MAX_MESSAGE_DEPTH} levels`);
}

/** Most fields a message may have: each singular one takes a bit of a 32-bit mask of those already read. */
const MAX_FIELDS = 31;

/**
 * One message's decoder: a local per field, a loop over the tags, then the output object built
 * in declaration order (the order `decode.ts`'s JSON path writes too). `seen` holds a bit per
 * singular field read, so one sent twice makes the decode inexact.
 */
function decoderCode(i: number, plan: MessagePlan, index: ReadonlyMap<MessagePlan, number>): string {
  if (plan.fields.length > MAX_FIELDS) throw new Error(`otlp protobuf: ${plan.path} has more than ${MAX_FIELDS} fields`);
  const fields = wireFields(plan);
  const local = new Map(plan.fields.map((f, k) => [f, `f${k}`]));
  const decls = plan.fields.map((f) => `${local.get(f)} = ${initial(f)}`);
  const cases = fields.flatMap((w) => caseCode(w, plan, local, index));
  return [
    `function D${i}(end, depth) {`,
    `if (depth > ${MAX_MESSAGE_DEPTH}) tooDeep();`,
    'if (--left < 0) tooMany(limit);',
    `var t, e, seen = 0, ${decls.join(', ')};`,
    'while ((t = h.tag(end)) !== 0) switch (t) {',
    ...cases,
    'default: h.inexact(); h.skip(t, end);',
    '}',
    'var out = {};',
    ...plan.fields.map((f) => outputCode(f, local.get(f) as string)),
    'return out;',
    '}',
  ].join('\n');
}

function initial(f: FieldPlan): string {
  if (f.repeated) return 'null';
  return f.fill === undefined ? 'undefined' : JSON.stringify(f.fill);
}

function outputCode(f: FieldPlan, v: string): string {
  if (f.repeated) return `out.${f.name} = ${v} === null ? [] : ${v};`;
  if (f.fill === undefined) return `if (${v} !== undefined) out.${f.name} = ${v};`;
  return `out.${f.name} = ${v};`;
}

/** The expression reading one value of a field (`end`: the enclosing message's end). */
function readCode(w: WireField, index: ReadonlyMap<MessagePlan, number>): string {
  switch (w.type) {
    case 'message':
      return `D${index.get(w.plan.message as MessagePlan)}(h.sub(end), depth + 1)`;
    case 'string':
      return 'h.string(end)';
    case 'bytes':
      return 'h.base64(end)';
    case 'id':
      return 'h.hex(end)';
    default:
      return `h.${w.type}()`;
  }
}

/** The `case` clauses of one field: one per wire form it may arrive in. */
function caseCode(w: WireField, plan: MessagePlan, local: ReadonlyMap<FieldPlan, string>, index: ReadonlyMap<MessagePlan, number>): string[] {
  const v = local.get(w.plan) as string;
  const tag = (wireType: number) => ((w.number << 3) | wireType) >>> 0;
  const read = readCode(w, index);
  if (w.plan.repeated) {
    const list = `(${v} === null ? (${v} = []) : ${v})`;
    const one = `case ${tag(WIRE_TYPES[w.type])}: ${list}.push(${read}); break;`;
    if (WIRE_TYPES[w.type] === 2) return [one];
    // A repeated number may come packed (the proto3 default) or one value per tag.
    const run = w.type === 'double' ? 'doubles' : w.type === 'fixed64' ? 'fixed64s' : undefined;
    if (run) return [one, `case ${tag(2)}: ${v} = h.${run}(h.sub(end), ${v}); break;`];
    return [one, `case ${tag(2)}: e = h.sub(end); ${list}; while (h.more(e)) ${v}.push(${read}); break;`];
  }
  // Setting one member of a oneof clears the others: the last one sent wins.
  const siblings = w.plan.oneof === undefined ? [] : plan.fields.filter((f) => f.oneof === w.plan.oneof && f !== w.plan);
  const clear = siblings.map((f) => ` ${local.get(f)} = undefined;`).join('');
  const bit = (f: FieldPlan) => 1 << plan.fields.indexOf(f);
  const group = siblings.reduce((mask, f) => mask | bit(f), bit(w.plan));
  const once = `if ((seen & ${group}) !== 0) h.inexact(); seen |= ${bit(w.plan)};`;
  return [`case ${tag(WIRE_TYPES[w.type])}: ${once} ${v} = ${read};${clear} break;`];
}
