import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import { allMessagePlans } from './field-plan.js';
import { SERVICE_MESSAGES } from './schema.js';
import { int64ToDecimal, uint64ToDecimal } from './scalars.js';
import type { OtlpSignal } from './signals.js';

/**
 * optel's protobuf definitions of OTLP are the ones OpenTelemetry itself generates from the
 * official opentelemetry-proto and publishes on npm: the protobufjs static module
 * `build/src/generated/root.js` inside `@opentelemetry/otlp-transformer`. That package is a
 * dependency under the alias `otlp-proto-root`, pinned to one release so that it never
 * collides with the otlp-transformer the SDK exporters use.
 *
 * Only two things from it are ever loaded: `root.js`, and the `protobufjs/minimal` runtime that
 * root.js itself requires. The package's entry point and its SDK dependencies get installed
 * but are never imported.
 *
 * root.js is required on first use rather than imported, so importing `src/otlp` stays cheap
 * (a CLI run that never touches OTLP never parses its ~850 kB), and JSON bodies never need it.
 */
const PROTO_ROOT_MODULE = 'otlp-proto-root/build/src/generated/root.js';

/** A protobufjs reader, as far as optel touches it (these members are public protobufjs API). */
export interface ProtoReader {
  buf: Uint8Array;
  pos: number;
  len: number;
  uint32(): number;
}

/** A generated message class, as far as optel uses it. */
export interface ProtoMessageClass {
  decode(reader: ProtoReader): Record<string, unknown>;
  encode(message: object): { finish(): Uint8Array };
}

/** The generated classes optel needs, and the reader to decode with. */
export interface OtlpProto {
  /** `ExportMetricsServiceRequest`, `ExportLogsServiceRequest`, `ExportTraceServiceRequest`. */
  readonly requests: Readonly<Record<OtlpSignal, ProtoMessageClass>>;
  /** The matching `Export…ServiceResponse` classes (partial success). */
  readonly responses: Readonly<Record<OtlpSignal, ProtoMessageClass>>;
  /** A reader over `bytes` for the generated decoders (see `otlpReader` below). */
  reader(bytes: Uint8Array): ProtoReader;
  /** The namespace object at a path under `opentelemetry.proto` (a class or an enum). */
  lookup(path: string): unknown;
}

/** The part of `protobufjs/minimal` optel uses. */
interface MinimalRuntime {
  BufferReader: new (buffer: Buffer) => ProtoReader;
}

let cached: OtlpProto | undefined;

/** root.js and its runtime, loaded once, on first use. */
export function otlpProto(): OtlpProto {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const rootPath = require.resolve(PROTO_ROOT_MODULE);
  const root = require(rootPath) as { opentelemetry?: { proto?: unknown } };
  // Resolved from root.js's own folder, this is the very module instance root.js required.
  const runtime = createRequire(rootPath)('protobufjs/minimal') as MinimalRuntime;
  const namespace = root.opentelemetry?.proto;
  if (!namespace) throw new Error(`otlp: ${PROTO_ROOT_MODULE} does not define opentelemetry.proto`);
  const lookup = (path: string): unknown => {
    let node: unknown = namespace;
    for (const part of path.split('.')) {
      const isNamespace = (typeof node === 'object' && node !== null) || typeof node === 'function';
      node = isNamespace && Object.hasOwn(node as object, part) ? (node as Record<string, unknown>)[part] : undefined;
    }
    return node;
  };
  const pick = (kind: 'request' | 'response') => {
    const classes = {} as Record<OtlpSignal, ProtoMessageClass>;
    for (const signal of Object.keys(SERVICE_MESSAGES) as OtlpSignal[]) {
      const path = SERVICE_MESSAGES[signal][kind];
      const cls = lookup(path) as Partial<ProtoMessageClass> | undefined;
      if (typeof cls?.decode !== 'function' || typeof cls.encode !== 'function') {
        throw new Error(`otlp: ${PROTO_ROOT_MODULE} has no message class ${path}`);
      }
      classes[signal] = cls as ProtoMessageClass;
    }
    return classes;
  };
  checkAgainstSchema(lookup);
  const Reader = otlpReader(runtime);
  cached = {
    requests: pick('request'),
    responses: pick('response'),
    reader: (bytes) =>
      new Reader(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
    lookup,
  };
  return cached;
}

/**
 * The field table of `schema.ts` must describe the generated classes exactly: the same fields
 * in the same order (the generated code defines each field on the prototype, in declaration
 * order), and fields with presence defaulting to null there, which is how `wire.ts` tells them
 * absent. Checked once, when root.js loads, so a mismatch fails loudly instead of dropping or
 * misreading data; `test/otlp/schema.test.ts` checks the value kinds.
 */
function checkAgainstSchema(lookup: (path: string) => unknown): void {
  for (const plan of allMessagePlans()) {
    const cls = lookup(plan.path) as { prototype?: Record<string, unknown> } | undefined;
    const proto = cls?.prototype;
    if (typeof cls !== 'function' || !proto) {
      throw new Error(`otlp: ${PROTO_ROOT_MODULE} has no message ${plan.path}`);
    }
    // Fields are plain data properties; oneof names are getters, and methods are functions.
    const generated = Object.entries(Object.getOwnPropertyDescriptors(proto))
      .filter(([, d]) => 'value' in d && typeof d.value !== 'function')
      .map(([name]) => name);
    const listed = plan.fields.map((f) => f.name);
    const presenceOk = plan.fields.every((f) => !f.presence || proto[f.name] === null);
    if (generated.join() !== listed.join() || !presenceOk) {
      throw new Error(
        `otlp: ${PROTO_ROOT_MODULE} does not match schema.ts at ${plan.path} (generated: ${generated.join(', ')})`,
      );
    }
  }
}

/**
 * A reader class for root.js's runtime, for two things the stock one does differently.
 *
 * - 64-bit integers come out as the decimal strings of the normalized shape. protobufjs would
 *   build a `Long` object for each (every timestamp, count and bucket count) only for optel to
 *   turn it into a string later, through BigInt; skipping both is much of the decode speed.
 * - Strings are checked, as proto3 requires (and protoc and the Collector do): a length past
 *   the end of the body, or bytes that are not UTF-8, make the body invalid. The runtime root.js
 *   was generated for (protobufjs 8.0.0) would cut the string short or put U+FFFD in.
 *
 * The generated decoders take any instance of the runtime's `Reader` as is, and one of these
 * lives only as long as one decode: nothing global is patched.
 */
function otlpReader(runtime: MinimalRuntime): new (buffer: Buffer) => ProtoReader {
  return class OtlpReader extends runtime.BufferReader {
    string(): string {
      const length = this.uint32();
      const start = this.pos;
      const end = start + length;
      if (end > this.len) throw outOfRange(this, length);
      this.pos = end;
      const buf = this.buf as Buffer;
      const text = buf.toString('utf8', start, end);
      // Decoding replaces bad bytes with U+FFFD, so only a string holding one needs the full check.
      if (text.includes('\uFFFD') && !isUtf8(buf.subarray(start, end))) throw new Error('invalid UTF-8 in a string');
      return text;
    }

    fixed64(): string {
      return uint64ToDecimal(readFixed32(this), readFixed32(this));
    }

    sfixed64(): string {
      return int64ToDecimal(readFixed32(this), readFixed32(this));
    }

    uint64(): string {
      readVarint64(this);
      return uint64ToDecimal(varintLow, varintHigh);
    }

    int64(): string {
      readVarint64(this);
      return int64ToDecimal(varintLow, varintHigh);
    }
  };
}

function outOfRange(reader: ProtoReader, length: number): RangeError {
  return new RangeError(`index out of range: ${reader.pos} + ${length} > ${reader.len}`);
}

/** Four little-endian bytes as an unsigned 32-bit number. */
function readFixed32(reader: ProtoReader): number {
  const p = reader.pos;
  if (p + 4 > reader.len) throw outOfRange(reader, 4);
  const b = reader.buf;
  reader.pos = p + 4;
  const bytes = (b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16) | ((b[p + 3] as number) << 24);
  return bytes >>> 0;
}

// The two halves of the last varint read (module state rather than an allocation per value).
let varintLow = 0;
let varintHigh = 0;

/** A base-128 varint of up to 64 bits, into `varintLow`/`varintHigh` (unsigned 32-bit each). */
function readVarint64(reader: ProtoReader): void {
  const b = reader.buf;
  const len = reader.len;
  let p = reader.pos;
  let low = 0;
  let high = 0;
  let byte: number;
  // Bytes 0-3 carry bits 0-27.
  for (let shift = 0; shift < 28; shift += 7) {
    if (p >= len) throw outOfRange(reader, 1);
    byte = b[p++] as number;
    low |= (byte & 0x7f) << shift;
    if (byte < 0x80) return doneVarint(reader, p, low, high);
  }
  // Byte 4 carries bits 28-34: four into the low half, three into the high one.
  if (p >= len) throw outOfRange(reader, 1);
  byte = b[p++] as number;
  low |= (byte & 0x7f) << 28;
  high = (byte & 0x7f) >>> 4;
  if (byte < 0x80) return doneVarint(reader, p, low, high);
  // Bytes 5-9 carry bits 35-63.
  for (let shift = 3; shift < 32; shift += 7) {
    if (p >= len) throw outOfRange(reader, 1);
    byte = b[p++] as number;
    high |= (byte & 0x7f) << shift;
    if (byte < 0x80) return doneVarint(reader, p, low, high);
  }
  throw new Error('invalid varint encoding');
}

function doneVarint(reader: ProtoReader, pos: number, low: number, high: number): void {
  reader.pos = pos;
  varintLow = low >>> 0;
  varintHigh = high >>> 0;
}
