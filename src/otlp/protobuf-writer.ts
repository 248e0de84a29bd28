import { BITS, decimalBits } from './decimal-bits.js';

/**
 * The primitive writes of the generated protobuf encoder (`protobuf-encoder.ts`): one buffer and
 * one position, lengths recorded by the size pass and replayed by the write pass. Small functions
 * over closure state, which V8 inlines into the generated code.
 */
export interface WireHelpers {
  /** Begins an encode (forgets the previous one's lengths). */
  start(): void;
  /** Allocates the output once the size pass knows its size. */
  alloc(size: number): void;
  /** The output; throws if the two passes disagreed (a bug, never a property of the input). */
  finish(): Buffer;
  /** Size pass: a slot for a nested message's length, filled by `set` once its fields are sized. */
  reserve(): number;
  set(slot: number, length: number): void;
  /** Size pass: records a length the write pass will need. */
  push(length: number): void;
  /** Write pass: the next recorded length. */
  next(): number;
  vlen(value: number): number;
  v64len(decimal: string): number;
  int32len(value: number): number;
  strSize(text: string): number;
  b64Size(base64: string): number;
  uvarint(value: number): void;
  varint64(decimal: string): void;
  int32(value: number): void;
  fixed32(value: number): void;
  fixed64(decimal: string): void;
  double(value: number): void;
  byte(value: number): void;
  string(text: string): void;
  bytes64(base64: string): void;
  hex(hex: string): void;
}

const TWO_32 = 4294967296;
/** Strings shorter than this are measured and copied in JS; longer ones by Buffer's native code. */
const SHORT = 64;


/** Bytes of an unsigned 32-bit varint. */
export function varintLength(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** A fresh set of helpers with their own state. */
export function createWireHelpers(): WireHelpers {
  let buf = Buffer.alloc(0);
  // Fixed-width values go through a view of the output: one store each, not a byte at a time.
  let view = new DataView(buf.buffer, buf.byteOffset, 0);
  let pos = 0;
  let lengths: number[] = [];
  let cursor = 0;
  // The two's-complement halves of the last decimal parsed.
  let lo = 0;
  let hi = 0;

  const bits = (s: string): void => {
    decimalBits(s);
    lo = BITS[0] as number;
    hi = BITS[1] as number;
  };

  const writeVarint64 = (): void => {
    while (hi !== 0) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    while (lo > 0x7f) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo >>>= 7;
    }
    buf[pos++] = lo;
  };

  const uvarint = (v: number): void => {
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
  };

  const fixed32 = (v: number): void => {
    view.setUint32(pos, v, true);
    pos += 4;
  };

  return {
    start() {
      if (lengths.length > 65_536) lengths = [];
      else lengths.length = 0;
    },
    alloc(size) {
      buf = Buffer.allocUnsafe(size);
      view = new DataView(buf.buffer, buf.byteOffset, size);
      pos = 0;
      cursor = 0;
    },
    finish() {
      if (pos !== buf.length || cursor !== lengths.length) throw new Error('protobuf encoder: size and write passes disagree');
      const out = buf;
      // Drop both references, so the helpers do not keep the last output alive.
      buf = Buffer.alloc(0);
      view = new DataView(buf.buffer, buf.byteOffset, 0);
      return out;
    },
    reserve: () => lengths.push(0) - 1,
    set(slot, length) {
      lengths[slot] = length;
    },
    push(length) {
      lengths.push(length);
    },
    next: () => lengths[cursor++] as number,
    vlen: varintLength,
    v64len(s) {
      bits(s);
      return hi === 0 ? varintLength(lo) : Math.ceil((64 - Math.clz32(hi)) / 7);
    },
    int32len: (v) => (v < 0 ? 10 : varintLength(v >>> 0)),
    strSize(s) {
      let n = s.length;
      if (n < SHORT) {
        for (let i = 0; i < s.length; i++) {
          if (s.charCodeAt(i) >= 0x80) {
            n = Buffer.byteLength(s, 'utf8');
            break;
          }
        }
      } else {
        n = Buffer.byteLength(s, 'utf8');
      }
      lengths.push(n);
      return n;
    },
    b64Size(s) {
      const n = Buffer.byteLength(s, 'base64');
      lengths.push(n);
      return n;
    },
    uvarint,
    varint64(s) {
      bits(s);
      writeVarint64();
    },
    int32(v) {
      if (v >= 0) return uvarint(v >>> 0);
      // protobufjs's LongBits.fromNumber: a negative int32 is sign-extended to ten bytes.
      const m = -v;
      lo = m >>> 0;
      hi = ((m - lo) / TWO_32) >>> 0;
      lo = (~lo + 1) >>> 0;
      hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
      writeVarint64();
    },
    fixed32: (v) => fixed32(v >>> 0),
    fixed64(s) {
      bits(s);
      fixed32(lo);
      fixed32(hi);
    },
    double(v) {
      view.setFloat64(pos, v, true);
      pos += 8;
    },
    byte(v) {
      buf[pos++] = v;
    },
    string(s) {
      const n = lengths[cursor++] as number;
      uvarint(n);
      if (n === s.length && n < SHORT) {
        // Same length in bytes as in UTF-16 units: every character is ASCII.
        for (let i = 0; i < n; i++) buf[pos + i] = s.charCodeAt(i);
      } else if (n > 0) {
        buf.write(s, pos, n, 'utf8');
      }
      pos += n;
    },
    bytes64(s) {
      const n = lengths[cursor++] as number;
      uvarint(n);
      buf.write(s, pos, n, 'base64');
      pos += n;
    },
    hex(s) {
      const n = s.length >>> 1;
      uvarint(n);
      buf.write(s, pos, n, 'hex');
      pos += n;
    },
  };
}
