import { KIND_DEFAULTS, type MessagePlan } from '../../src/otlp/field-plan.js';
import { WIRE_TYPES, wireFields } from '../../src/otlp/protobuf-fields.js';

// Hand-written protobuf bytes, for the inputs no encoder would produce (malformed, unusual or
// deliberately odd on the wire).

/** A base-128 varint (negative numbers as protobuf writes an int64: ten bytes of two's complement). */
export function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (v > 0x7fn) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Buffer.from(bytes);
}

/** A tag: field number and wire type. */
export function tag(field: number, wireType: number): Buffer {
  return varint((field << 3) | wireType);
}

/** A length-delimited field (wire type 2): a message, string or bytes, or a packed run. */
export function lengthField(field: number, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([tag(field, 2), varint(body.length), body]);
}

/** A varint field (wire type 0). */
export function varintField(field: number, value: number | bigint): Buffer {
  return Buffer.concat([tag(field, 0), varint(value)]);
}

/** A fixed64 field (wire type 1). */
export function fixed64Field(field: number, value: bigint): Buffer {
  return Buffer.concat([tag(field, 1), fixedBytes(8, (b) => b.writeBigUInt64LE(BigInt.asUintN(64, value)))]);
}

/** A double field (wire type 1). */
export function doubleField(field: number, value: number): Buffer {
  return Buffer.concat([tag(field, 1), fixedBytes(8, (b) => b.writeDoubleLE(value))]);
}

/** A fixed32 field (wire type 5). */
export function fixed32Field(field: number, value: number): Buffer {
  return Buffer.concat([tag(field, 5), fixedBytes(4, (b) => b.writeUInt32LE(value >>> 0))]);
}

/** One log record (its bytes) inside a logs export request: request.resource_logs.scope_logs.log_records. */
export function logsRequestWith(logRecord: Buffer): Buffer {
  return lengthField(1, lengthField(2, lengthField(2, logRecord)));
}

/** A logs request whose one attribute is an array nested `depth` times. */
export function nestedLogAttribute(depth: number): Buffer {
  let anyValue: Buffer = Buffer.alloc(0);
  for (let i = 0; i < depth; i++) anyValue = lengthField(5, lengthField(1, anyValue)); // AnyValue.array_value.values
  return logsRequestWith(lengthField(6, lengthField(1, Buffer.from('k')), lengthField(2, anyValue)));
}

/** A varint of `value` padded with zero groups to `bytes` bytes (what protoc never writes, but every reader accepts). */
export function paddedVarint(value: number | bigint, bytes: number): Buffer {
  const plain = [...varint(value)];
  while (plain.length < bytes) {
    plain[plain.length - 1] = (plain[plain.length - 1] as number) | 0x80;
    plain.push(0);
  }
  return Buffer.from(plain);
}

/** Random choices for `writeVariant`: an integer below `n`, and a yes with probability `p`. */
export interface WireChoices {
  int(n: number): number;
  chance(p: number): boolean;
}

/**
 * A normalized message written with random wire choices any reader must accept: fields in any
 * order, repeated numbers packed or one per tag, defaults written out or left out, and (with `pad`)
 * varints padded with zero groups.
 */
export function writeVariant(plan: MessagePlan, message: Record<string, unknown>, c: WireChoices, pad: boolean): Buffer {
  const v = (value: bigint, max = 10) => (pad && c.chance(0.15) ? paddedVarint(value, Math.min(max, varint(value).length + c.int(4))) : varint(value));
  const parts: Buffer[] = [];
  for (const w of wireFields(plan)) {
    const value = message[w.plan.name];
    if (value === undefined || value === null) continue;
    const tagOf = (wireType: number) => v(BigInt((w.number << 3) | wireType), 5);
    const delimited = (body: Buffer) => Buffer.concat([v(BigInt(body.length), 5), body]);
    const one = (x: unknown): Buffer => {
      switch (w.type) {
        case 'message': return delimited(writeVariant(w.plan.message as MessagePlan, x as Record<string, unknown>, c, pad));
        case 'string': return delimited(Buffer.from(x as string, 'utf8'));
        case 'bytes': return delimited(Buffer.from(x as string, 'base64'));
        case 'id': return delimited(Buffer.from(x as string, 'hex'));
        case 'bool': return v(x ? 1n : 0n);
        case 'double': return fixedBytes(8, (b) => b.writeDoubleLE(x as number));
        case 'fixed64': case 'sfixed64': return fixedBytes(8, (b) => b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(x as string))));
        case 'fixed32': return fixedBytes(4, (b) => b.writeUInt32LE((x as number) >>> 0));
        case 'int64': case 'uint64': return v(BigInt.asUintN(64, BigInt(x as string)));
        case 'int32': return v(BigInt.asUintN(64, BigInt(x as number)));
        case 'uint32': return v(BigInt((x as number) >>> 0));
        case 'sint32': return v(BigInt((((x as number) << 1) ^ ((x as number) >> 31)) >>> 0));
      }
    };
    if (w.plan.repeated) {
      const list = value as unknown[];
      if (list.length === 0) continue;
      const packable = w.type !== 'message' && w.type !== 'string' && w.type !== 'bytes' && w.type !== 'id';
      if (packable && c.chance(0.5)) parts.push(Buffer.concat([tagOf(2), delimited(Buffer.concat(list.map(one)))]));
      // One part per field, so the shuffle below moves fields, never a list's elements.
      else parts.push(Buffer.concat(list.map((x) => Buffer.concat([tagOf(WIRE_TYPES[w.type]), one(x)]))));
      continue;
    }
    const isDefault = !w.plan.presence && w.type !== 'message' && Object.is(value, KIND_DEFAULTS[w.plan.kind as Exclude<typeof w.plan.kind, 'message'>]);
    if (isDefault && !c.chance(0.3)) continue;
    parts.push(Buffer.concat([tagOf(WIRE_TYPES[w.type]), one(value)]));
  }
  for (let i = parts.length - 1; i > 0; i--) {
    const j = c.int(i + 1);
    [parts[i], parts[j]] = [parts[j] as Buffer, parts[i] as Buffer];
  }
  return Buffer.concat(parts);
}

/** `size` bytes written by `fill` (a fixed-width value, little-endian as protobuf's). */
function fixedBytes(size: number, fill: (b: Buffer) => void): Buffer {
  const b = Buffer.alloc(size);
  fill(b);
  return b;
}
