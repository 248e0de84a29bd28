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
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, value));
  return Buffer.concat([tag(field, 1), bytes]);
}

/** A double field (wire type 1). */
export function doubleField(field: number, value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value);
  return Buffer.concat([tag(field, 1), bytes]);
}

/** A fixed32 field (wire type 5). */
export function fixed32Field(field: number, value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value >>> 0);
  return Buffer.concat([tag(field, 5), bytes]);
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
