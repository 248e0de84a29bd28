const TWO_32 = 4294967296;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;
const ANY_INT = /^-?[0-9]+$/;

/**
 * The decimal string of an unsigned 64-bit integer given as two unsigned 32-bit halves.
 * Exact, and without BigInt, which is several times slower: every nanosecond timestamp is
 * above 2^53, so this runs for most 64-bit values OTLP carries.
 */
export function uint64ToDecimal(low: number, high: number): string {
  // Counts (bucket counts above all) are mostly small: their strings are made once.
  if (high === 0 && low < SMALL_COUNT) return SMALL[low] as string;
  // Below 2^53 plain arithmetic is exact.
  if (high < 0x200000) return String(high * TWO_32 + low);
  // The same timestamps recur throughout a request (start times, one collection time).
  const slot = (low ^ high) & (CACHE_SIZE - 1);
  if (cacheLow[slot] === low && cacheHigh[slot] === high) return cacheText[slot] as string;
  const text = bigUint64ToDecimal(low, high);
  cacheLow[slot] = low;
  cacheHigh[slot] = high;
  cacheText[slot] = text;
  return text;
}

const SMALL_COUNT = 1024;
const SMALL = Array.from({ length: SMALL_COUNT }, (_, i) => String(i));

const CACHE_SIZE = 64;
const cacheLow = new Uint32Array(CACHE_SIZE);
// High halves are at least 0x200000 here, so the zeroed start never matches.
const cacheHigh = new Uint32Array(CACHE_SIZE);
const cacheText = new Array<string>(CACHE_SIZE).fill('');

function bigUint64ToDecimal(low: number, high: number): string {
  // Split into 24-bit pieces: value = a + b·2^24 + c·2^48. Since 2^24 = 1·10^7 + 6777216 and
  // 2^48 = 28147497·10^7 + 6710656, the digits below 10^7 and the 10^7s can be summed apart
  // (each sum stays far below 2^53), then carried.
  const a = low & 0xffffff;
  const b = ((low >>> 24) | (high << 8)) & 0xffffff;
  const c = high >>> 16;
  let units = a + b * 6777216 + c * 6710656;
  let tens7 = b + c * 28147497;
  tens7 += Math.floor(units / 1e7);
  units %= 1e7;
  const tens14 = Math.floor(tens7 / 1e7);
  tens7 %= 1e7;
  // The value is at least 2^53 > 10^15, so tens14 is never 0.
  return String(tens14) + pad7(tens7) + pad7(units);
}

function pad7(n: number): string {
  const text = String(n);
  return text.length === 7 ? text : '0000000'.slice(text.length) + text;
}

/** The decimal string of a signed (two's complement) 64-bit integer given as unsigned halves. */
export function int64ToDecimal(low: number, high: number): string {
  if (high < 0x80000000) return uint64ToDecimal(low, high);
  // Negate: invert and add one, carrying into the high half when the low half wraps to 0.
  const negLow = (~low + 1) >>> 0;
  const negHigh = (~high + (negLow === 0 ? 1 : 0)) >>> 0;
  return `-${uint64ToDecimal(negLow, negHigh)}`;
}

const INT64_MAX_TEXT = '9223372036854775807';
const INT64_MIN_DIGITS = '9223372036854775808';
const UINT64_MAX_TEXT = '18446744073709551615';

/**
 * Whether `s` is an integer written canonically (no sign on zero, no leading zeros, no `+`) and in
 * the int64/uint64 range, checked on the characters: timestamps in nanoseconds are 19 digits, and
 * every OTLP/JSON data point carries two.
 */
function isCanonicalDecimal(s: string, signed: boolean): boolean {
  const negative = s.charCodeAt(0) === 45;
  if (negative && !signed) return false;
  const start = negative ? 1 : 0;
  const digits = s.length - start;
  const first = s.charCodeAt(start);
  if (digits < 1 || first < 48 || first > 57) return false;
  if (first === 48) return digits === 1 && !negative;
  for (let i = start + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const limit = !signed ? UINT64_MAX_TEXT : negative ? INT64_MIN_DIGITS : INT64_MAX_TEXT;
  // Equal-length digit strings compare as their numbers do.
  return digits < limit.length || (digits === limit.length && (negative ? s.slice(1) : s) <= limit);
}

/**
 * The canonical decimal string of a JSON int64 (number or string), or undefined when it is
 * not an integer in range. OTLP/JSON allows both forms; strings are the lossless one. A signed
 * number beyond 2^53 is undefined too (`isRoundedJsonInteger`): the parser has already rounded it,
 * and it is a value (an int attribute or point) that must not be altered. An unsigned one (OTLP's
 * fixed64: nanosecond timestamps, which clients write as numbers too, and counts) is taken as
 * rounded: a timestamp off by at most 256 ns is no reason to refuse an export.
 */
export function jsonToDecimal(value: unknown, signed: boolean): string | undefined {
  if (typeof value === 'number') {
    // Every int64 up to 2^53 is a safe integer, so only the sign needs checking.
    if (Number.isSafeInteger(value)) return signed || value >= 0 ? String(value) : undefined;
    return !signed && Number.isInteger(value) && value > 0 && value < 2 ** 64 ? BigInt(value).toString() : undefined;
  }
  if (typeof value !== 'string') return undefined;
  // The common case, already canonical and in range, needs no BigInt.
  if (isCanonicalDecimal(value, signed)) return value;
  if (!ANY_INT.test(value)) return undefined;
  const big = BigInt(value);
  if (signed ? big < INT64_MIN || big > UINT64_MAX >> 1n : big < 0n || big > UINT64_MAX) {
    return undefined;
  }
  return big.toString();
}

/**
 * Whether a parsed JSON value is an integer beyond 2^53: the text may have said another one (both
 * 9007199254740993 and 9007199254740992 parse to 2^53), so it is refused rather than altered.
 */
export function isRoundedJsonInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value);
}

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('hex');
}

/** Standard base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('base64');
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^(?:[A-Za-z0-9+/\-_]{4})*(?:[A-Za-z0-9+/\-_]{2}(?:==)?|[A-Za-z0-9+/\-_]{3}=?)?$/;

/** Bytes of a base64 (or base64url) string, or undefined when it is not base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
}

/**
 * Bytes of a JSON trace/span id. OTLP/JSON says hex; base64 (what a generic protobuf JSON
 * mapper emits) is accepted too, since the lengths never collide (16/32 hex vs 12/24 base64).
 */
export function fromIdString(text: string): Uint8Array | undefined {
  if (HEX.test(text)) return Buffer.from(text, 'hex');
  return fromBase64(text);
}

/** A JSON double: a number, or a string holding a number, "NaN", "Infinity" or "-Infinity". */
export function jsonToDouble(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A number as OTLP/JSON writes doubles: non-finite values become their string names, and
 * -0 becomes "-0" (JSON.stringify would print 0, and protobuf does keep the sign).
 */
export function doubleToJson(value: number): number | string {
  if (Object.is(value, -0)) return '-0';
  return Number.isFinite(value) ? value : String(value);
}
