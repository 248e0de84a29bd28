/** The two's-complement halves, low then high, of the last value `decimalBits` parsed. */
export const BITS = new Uint32Array(2);

const TWO_32 = 4294967296;
// The last few long values parsed: a request repeats its start and end timestamps in every point.
const recentText = ['', '', '', ''];
const recentLo = new Uint32Array(4);
const recentHi = new Uint32Array(4);
let recentNext = 0;

/**
 * Parses a canonical decimal int64 or uint64 string (as the normalized OTLP shape holds them) into
 * `BITS`, exactly and without BigInt: the protobuf encoder's hot path meets one per timestamp and
 * bucket count. A shared result array rather than an object per value: nothing to collect.
 */
export function decimalBits(s: string): void {
  if (s.length < 10) {
    // Below 10^9: one 32-bit half (most counts), or a small negative number.
    const n = Number(s);
    BITS[0] = n >>> 0;
    BITS[1] = n < 0 ? 0xffffffff : 0;
    return;
  }
  for (let i = 0; i < 4; i++) {
    if (recentText[i] === s) {
      BITS[0] = recentLo[i] as number;
      BITS[1] = recentHi[i] as number;
      return;
    }
  }
  longBits(s);
  recentText[recentNext] = s;
  recentLo[recentNext] = BITS[0] as number;
  recentHi[recentNext] = BITS[1] as number;
  recentNext = (recentNext + 1) & 3;
}

function longBits(s: string): void {
  const negative = s.charCodeAt(0) === 45;
  if (s.length - (negative ? 1 : 0) <= 15) {
    // Below 10^15 < 2^53 a double is exact, and >>> / floor give the two's-complement halves.
    const n = Number(s);
    BITS[0] = n >>> 0;
    BITS[1] = Math.floor(n / TWO_32) >>> 0;
    return;
  }
  // value = h·10^9 + l with h < 2^35; h = h1·2^16 + h0, so value = a·2^16 + b with a = h1·10^9
  // (< 2^49) and b = h0·10^9 + l (< 2^53): every product and sum below stays exact.
  const digits = negative ? s.slice(1) : s;
  const h = Number(digits.slice(0, -9));
  const l = Number(digits.slice(-9));
  const h1 = Math.floor(h / 65536);
  const a = h1 * 1e9;
  const b = (h - h1 * 65536) * 1e9 + l;
  let low = (a % 65536) * 65536 + (b % TWO_32);
  let high = Math.floor(a / 65536) + Math.floor(b / TWO_32);
  if (low >= TWO_32) {
    low -= TWO_32;
    high += 1;
  }
  if (negative) {
    low = (~low + 1) >>> 0;
    high = ~high + (low === 0 ? 1 : 0);
  }
  BITS[0] = low >>> 0;
  BITS[1] = high >>> 0;
}
