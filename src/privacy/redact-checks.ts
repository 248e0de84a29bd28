/**
 * Checks that decide whether a candidate the patterns found is the real thing (an address that
 * parses, a number whose checksum holds), so shapes that merely look alike in prose survive.
 */

const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|[01]?\d?\d)`; // leading zeros too (`192.168.001.010`)
/** Source of a regex for a dotted-quad IPv4 address. */
export const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const IPV4_EXACT = new RegExp(`^${IPV4}$`);
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** Strict IPv6 syntax check plus a plausibility bar so `a::b`, `dead::beef` or `1::2` in prose survive. */
export function isPlausibleIpv6(candidate: string): boolean {
  const addr = candidate.split('%')[0] ?? '';
  const first = addr.indexOf('::');
  if (first !== addr.lastIndexOf('::')) return false; // at most one `::` (also rejects `:::`)
  let body = addr;
  const lastColon = addr.lastIndexOf(':');
  const tail = addr.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!IPV4_EXACT.test(tail)) return false;
    body = `${addr.slice(0, lastColon + 1)}0:0`; // embedded IPv4 counts as two groups
  }
  const sides = first === -1 ? [body] : body.split('::');
  const groups = sides.flatMap((side) => (side === '' ? [] : side.split(':')));
  if (!groups.every((g) => HEX_GROUP.test(g))) return false;
  if (first === -1 ? groups.length !== 8 : groups.length > 7) return false;
  const colons = addr.split(':').length - 1;
  return /\d/.test(addr) && (colons >= 3 || addr.startsWith('::') || groups.some((g) => g.length >= 3));
}

/** Luhn checksum over 13–19 digits with a card-network first digit (13 digits: Visa only). */
export function isCardNumber(m: string): boolean {
  const digits = m.replace(/\D/g, '');
  if (digits.length < 13 || digits.length > 19 || (digits.length === 13 && digits[0] !== '4')) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

// IBAN length by country (ISO 13616 registry): a country code must be one that issues IBANs, of its length.
const IBAN_LENGTH = new Map(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 ' +
    'EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26 ' +
    'IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 ' +
    'NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 ' +
    'SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30'
  ).split(' ').map((e) => [e.slice(0, 2), Number(e.slice(2))] as const),
);

/**
 * How long the IBAN that `m` begins with is (spaces and any case allowed), or 0 when it begins with
 * none: the country's length of characters, ending where a group does, passing the ISO 7064 mod-97
 * check (1 in 97 random strings pass it). What follows a valid one (a word of four, a year) is not part of it.
 */
export function ibanLength(m: string): number {
  const upper = m.toUpperCase();
  const length = IBAN_LENGTH.get(upper.slice(0, 2));
  if (length === undefined) return 0;
  let end = 0;
  let chars = 0;
  while (end < upper.length && chars < length) if (upper[end++] !== ' ') chars++;
  if (chars < length || (end < upper.length && upper[end] !== ' ')) return 0;
  const iban = upper.slice(0, end).replace(/ /g, '');
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (let i = 0; i < moved.length; i++) {
    const c = moved.charCodeAt(i);
    rest = c >= 65 ? (rest * 100 + c - 55) % 97 : (rest * 10 + c - 48) % 97; // A = 10 … Z = 35
  }
  return rest === 1 ? end : 0;
}
