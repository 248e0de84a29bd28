import { isUtf8 } from 'node:buffer';
import { int64ToDecimal, uint64ToDecimal } from './scalars.js';

/**
 * The primitive reads of the generated protobuf decoder (`protobuf-decoder.ts`): one buffer and one
 * position. Every read checks the buffer's end; a message's own end is checked by `tag` and `more`
 * (a value that runs past it ends the decode). Errors are plain `Error`s: the caller turns any of
 * them into "not a valid protobuf body". Small functions over closure state, which V8 inlines into
 * the generated code.
 */
export interface ReadHelpers {
  /** Begins a decode of `bytes`; returns its length (the top-level message's end). */
  begin(bytes: Uint8Array): number;
  /** Ends a decode (lets go of the buffer). */
  finish(): void;
  /** Notes that the decoded value is not all the bytes say (see `wasExact`). */
  inexact(): void;
  /**
   * Whether the decode since `begin` was exact: every field known and sent in its own wire type,
   * no singular field or oneof sent twice, every varint written as protoc writes it and within its
   * type, no NaN. Then the bytes and any encoding of the decoded value are the same data to every
   * protobuf reader (which can disagree on the rest: protobufjs keeps the second of two
   * sub-messages, Go's and C++'s merge them; NaN payload bits survive).
   */
  wasExact(): boolean;
  /** The next field's tag, or 0 once the message ending at `end` is read; throws if a value ran past it. */
  tag(end: number): number;
  /** Reads a length; returns where the length-delimited value it opens ends (within `end`). */
  sub(end: number): number;
  /** Whether a packed run ending at `end` holds another value; throws if a value ran past it. */
  more(end: number): boolean;
  /** Skips the value of an unknown field (or a known field sent with another wire type). */
  skip(tag: number, end: number): void;
  int32(): number;
  uint32(): number;
  sint32(): number;
  fixed32(): number;
  bool(): boolean;
  /** 64-bit integers as the normalized shape's decimal strings. */
  int64(): string;
  uint64(): string;
  fixed64(): string;
  sfixed64(): string;
  double(): number;
  /** A packed run of fixed64 values ending at `end`, appended to `list` (or a new array). */
  fixed64s(end: number, list: string[] | null): string[];
  /** A packed run of doubles ending at `end`, appended to `list` (or a new array). */
  doubles(end: number, list: number[] | null): number[];
  /** A string field (UTF-8, checked, as proto3 requires). */
  string(end: number): string;
  /** A bytes field as base64. */
  base64(end: number): string;
  /** A bytes field as lowercase hex (trace and span ids). */
  hex(end: number): string;
}

/** Whether typed arrays are little-endian here, as protobuf's doubles are (true on every platform Node ships for but s390x). */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

const EMPTY = Buffer.alloc(0);

/** Deepest nesting of unknown proto2 groups skipped (the decoder's limit for messages). */
const MAX_GROUP_DEPTH = 100;

/**
 * Strings of up to this many bytes are looked up in a small cache before being decoded. Telemetry
 * repeats the same few keys and values (attribute names, command names, units) thousands of times a
 * second, and turning bytes into a string is the decoder's largest cost; a hit costs a hash and a
 * compare of the bytes and allocates nothing.
 */
const INTERN_MAX_BYTES = 32;
const INTERN_SLOT_BITS = 10;
const INTERN_SLOTS = 1 << INTERN_SLOT_BITS;

/** A fresh set of helpers with their own state. */
export function createReadHelpers(): ReadHelpers {
  let buf: Buffer = EMPTY;
  let pos = 0;
  let len = 0;
  // The two unsigned 32-bit halves of the last 64-bit varint read.
  let low = 0;
  let high = 0;
  let exact = true;
  const f64 = new Float64Array(1);
  const f64Bytes = new Uint8Array(f64.buffer);
  const internText = new Array<string>(INTERN_SLOTS).fill('');
  const internLength = new Uint8Array(INTERN_SLOTS);
  const internBytes = new Uint8Array(INTERN_SLOTS * INTERN_MAX_BYTES);

  /** Bytes as UTF-8 text, refusing what is not UTF-8. */
  const utf8 = (start: number, stop: number): string => {
    const text = buf.toString('utf8', start, stop);
    // Decoding replaces bad bytes with U+FFFD, so only a string holding one needs the full check.
    if (text.includes('\uFFFD') && !isUtf8(buf.subarray(start, stop))) throw new Error(`invalid UTF-8 in a string at byte ${start}`);
    return text;
  };

  /** A short string through the cache (slot by an FNV-1a hash of the bytes; a miss replaces the slot). */
  const interned = (start: number, stop: number): string => {
    const n = stop - start;
    let hash = 0x811c9dc5;
    for (let i = start; i < stop; i++) hash = Math.imul(hash ^ (buf[i] as number), 0x01000193);
    const slot = hash >>> (32 - INTERN_SLOT_BITS);
    const base = slot * INTERN_MAX_BYTES;
    if (internLength[slot] === n) {
      let i = 0;
      while (i < n && internBytes[base + i] === buf[start + i]) i++;
      if (i === n) return internText[slot] as string;
    }
    const text = utf8(start, stop);
    internLength[slot] = n;
    for (let i = 0; i < n; i++) internBytes[base + i] = buf[start + i] as number;
    internText[slot] = text;
    return text;
  };

  const eof = (): never => {
    throw new Error(`protobuf ends inside a value at byte ${pos} of ${len}`);
  };

  /**
   * A varint of up to 64 bits, into `low` and `high`. One not written as protoc writes it makes the
   * decode inexact: padded (ending in a zero group), or a tenth byte over 1 (which Go refuses). Every
   * reader gets the same number from padding, but not the same message: protobufjs skips a fixed ten
   * bytes after a 32-bit varint of six to nine, and reads what follows from there.
   */
  const varint64 = (): void => {
    let lo = 0;
    let hi = 0;
    let b: number;
    // Bytes 0-3 carry bits 0-27.
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= len) eof();
      b = buf[pos++] as number;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        if (b === 0 && shift > 0) exact = false;
        low = lo >>> 0;
        high = 0;
        return;
      }
    }
    // Byte 4 carries bits 28-34: four into the low half, three into the high one.
    if (pos >= len) eof();
    b = buf[pos++] as number;
    lo |= (b & 0x7f) << 28;
    hi = (b & 0x7f) >>> 4;
    if (b >= 0x80) {
      // Bytes 5-9 carry bits 35-63.
      for (let shift = 3; ; shift += 7) {
        if (shift > 31) throw new Error('invalid varint: more than 10 bytes');
        if (pos >= len) eof();
        b = buf[pos++] as number;
        hi |= (b & 0x7f) << shift;
        if (b < 0x80) {
          if (b === 0 || (shift === 31 && b > 1)) exact = false;
          break;
        }
      }
    } else if (b === 0) {
      exact = false;
    }
    low = lo >>> 0;
    high = hi >>> 0;
  };

  const fixed32 = (): number => {
    const p = pos;
    if (p + 4 > len) eof();
    pos = p + 4;
    return ((buf[p] as number) | ((buf[p + 1] as number) << 8) | ((buf[p + 2] as number) << 16) | ((buf[p + 3] as number) << 24)) >>> 0;
  };

  /** A double, noting a NaN: its 51 payload bits are a place for data that the value does not show. */
  const checked = (v: number): number => {
    if (v !== v) exact = false;
    return v;
  };

  const double = (): number => {
    const p = pos;
    if (p + 8 > len) eof();
    pos = p + 8;
    if (!LITTLE_ENDIAN) return checked(buf.readDoubleLE(p));
    const b = f64Bytes;
    b[0] = buf[p] as number;
    b[1] = buf[p + 1] as number;
    b[2] = buf[p + 2] as number;
    b[3] = buf[p + 3] as number;
    b[4] = buf[p + 4] as number;
    b[5] = buf[p + 5] as number;
    b[6] = buf[p + 6] as number;
    b[7] = buf[p + 7] as number;
    return checked(f64[0] as number);
  };

  /** How many 8-byte values a packed run ending at `end` holds. */
  const packedCount = (end: number): number => {
    const bytes = end - pos;
    if (bytes % 8 !== 0) throw new Error(`a packed run of ${bytes} bytes at byte ${pos} is not a whole number of 8-byte values`);
    return bytes / 8;
  };

  /** A tag or a length: an unsigned varint of at most five bytes and 32 bits, as protoc requires. */
  const uvarint32 = (): number => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= len) eof();
      const b = buf[pos++] as number;
      // The fifth byte carries bits 28-31 and ends the varint.
      if (shift === 28 && b > 0x0f) throw new Error(`a tag or length over 32 bits at byte ${pos - 1}`);
      v |= (b & 0x7f) << shift;
      if (b < 0x80) {
        if (b === 0 && shift > 0) exact = false;
        return v >>> 0;
      }
    }
  };

  const sub = (end: number): number => {
    const n = uvarint32();
    if (n > end - pos) throw new Error(`a length of ${n} at byte ${pos} runs past its message`);
    return pos + n;
  };

  const skip = (tag: number, end: number, groups = 0): void => {
    switch (tag & 7) {
      case 0:
        varint64();
        return;
      case 1:
        if (pos + 8 > len) eof();
        pos += 8;
        return;
      case 2:
        pos = sub(end);
        return;
      case 3:
        // A group (proto2): skipped field by field up to its matching end tag, nested as deep as messages may be.
        if (groups >= MAX_GROUP_DEPTH) throw new Error(`groups nest deeper than ${MAX_GROUP_DEPTH} levels`);
        for (;;) {
          const inner = readTag(end);
          if (inner === 0) throw new Error('a group is not closed');
          if ((inner & 7) === 4) {
            if (inner >>> 3 !== tag >>> 3) throw new Error('a group is closed by the wrong end tag');
            return;
          }
          skip(inner, end, groups + 1);
        }
      case 5:
        if (pos + 4 > len) eof();
        pos += 4;
        return;
      default:
        throw new Error(`invalid wire type ${tag & 7} at byte ${pos}`);
    }
  };

  const readTag = (end: number): number => {
    if (pos >= end) {
      if (pos === end) return 0;
      throw new Error(`a value runs past the end of its message (byte ${end})`);
    }
    const tag = uvarint32();
    if (tag >>> 3 === 0) throw new Error(`invalid field number 0 at byte ${pos}`);
    return tag;
  };

  return {
    begin(bytes) {
      buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      pos = 0;
      len = buf.length;
      exact = true;
      return len;
    },
    finish() {
      buf = EMPTY;
      pos = len = 0;
    },
    inexact() {
      exact = false;
    },
    wasExact: () => exact,
    tag: readTag,
    sub,
    more(end) {
      if (pos < end) return true;
      if (pos === end) return false;
      throw new Error(`a packed value runs past its field (byte ${end})`);
    },
    skip,
    // 32-bit fields keep a varint's low 32 bits (a negative int32 is written in ten bytes, sign-extended).
    // Bits past a value's type make the decode inexact: readers differ on them (protobufjs reads a
    // bool of 2^32 as false, Go as true).
    int32() {
      varint64();
      if (high !== 0 && (high !== 0xffffffff || low < 0x80000000)) exact = false;
      return low | 0;
    },
    uint32() {
      varint64();
      if (high !== 0) exact = false;
      return low;
    },
    sint32() {
      varint64();
      if (high !== 0) exact = false;
      return (low >>> 1) ^ -(low & 1);
    },
    fixed32,
    bool() {
      varint64();
      if (high !== 0 || low > 1) exact = false;
      return low !== 0 || high !== 0;
    },
    int64() {
      varint64();
      return int64ToDecimal(low, high);
    },
    uint64() {
      varint64();
      return uint64ToDecimal(low, high);
    },
    fixed64() {
      const lo = fixed32();
      return uint64ToDecimal(lo, fixed32());
    },
    sfixed64() {
      const lo = fixed32();
      return int64ToDecimal(lo, fixed32());
    },
    double,
    fixed64s(end, list) {
      const count = packedCount(end);
      const out = list ?? new Array<string>(count);
      const at = list === null ? 0 : list.length;
      for (let i = 0; i < count; i++) {
        const lo = fixed32();
        out[at + i] = uint64ToDecimal(lo, fixed32());
      }
      return out;
    },
    doubles(end, list) {
      const count = packedCount(end);
      const out = list ?? new Array<number>(count);
      const at = list === null ? 0 : list.length;
      for (let i = 0; i < count; i++) out[at + i] = double();
      return out;
    },
    string(end) {
      const stop = sub(end);
      const start = pos;
      pos = stop;
      if (start === stop) return '';
      return stop - start <= INTERN_MAX_BYTES ? interned(start, stop) : utf8(start, stop);
    },
    base64(end) {
      const stop = sub(end);
      const start = pos;
      pos = stop;
      return buf.toString('base64', start, stop);
    },
    hex(end) {
      const stop = sub(end);
      const start = pos;
      pos = stop;
      return buf.toString('hex', start, stop);
    },
  };
}
