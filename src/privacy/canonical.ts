/**
 * The form the redaction rules read: what a person sees, spelled in the ASCII the rules know.
 * Only strings holding a character that can hide a value are rewritten: ordinary ASCII text costs
 * one test, other text (accents, CJK, emoji) a table look-up per character.
 */

const NON_ASCII = /[^\0-\x7f]/;
// Every character one of the steps below rewrites: invisible (format and default-ignorable
// characters, with U+180E named since its category changed across Unicode versions), compatibility
// forms NFKC folds to ASCII, slash look-alikes and decimal digits of other scripts.
const HIDING =
  /[\p{Cf}\p{DI}\u180e\u00a0\u00b2\u00b3\u00b9\u3000\u2000-\u24ff\u29f5\u29f8\u29f9\ufe00-\uffef\u{1d400}-\u{1d7ff}\u{1f100}-\u{1f10a}]|[^\P{Nd}0-9]/u;
// The UTF-16 code units a character `HIDING` matches can start with (a superset: each hit is
// confirmed by `HIDING`; a high surrogate stands for the 1,024 characters it begins). A table, since
// testing the Unicode properties on every character of ordinary CJK or Cyrillic text costs ten times more.
// Built on the first non-ASCII value, not at import: a CLI whose values are ASCII never needs it.
const MAY_HIDE_RANGES =
  'a0 ad-b9 34f 600-61c 660-669 6dd-70f 7c0-7c9 890-891 8e2 966-96f 9e6-9ef a66-a6f ae6-aef b66-b6f ' +
  'be6-bef c66-c6f ce6-cef d66-d6f de6-def e50-e59 ed0-ed9 f20-f29 1040-1049 1090-1099 115f-1160 ' +
  '17b4-1819 1946-194f 19d0-19d9 1a80-1a99 1b50-1b59 1bb0-1bb9 1c40-1c59 2000-24ff 29f5-29f9 3164 ' +
  '3000 a620-a629 a8d0-a909 a9d0-a9f9 aa50-aa59 abf0-abf9 d801 d803-d807 d80d d818 d81a-d81b d82f d833-d835 ' +
  'd838-d83a d83c d83e db40-db43 fe00-fffb';
let mayHide: Uint8Array | undefined;

function mayHideTable(): Uint8Array {
  if (mayHide !== undefined) return mayHide;
  mayHide = new Uint8Array(0x10000);
  for (const range of MAY_HIDE_RANGES.split(' ')) {
    const [from = '0', to = from] = range.split('-');
    mayHide.fill(1, parseInt(from, 16), parseInt(to, 16) + 1);
  }
  return mayHide;
}
// Where NFKC can fold a value to ASCII: no-break and ideographic spaces, superscripts, general
// punctuation, letterlike, number and enclosed forms, small and full-width forms, mathematical
// alphanumerics (𝟏𝟎, 𝐚𝐥𝐢𝐜𝐞), digits with a comma or full stop. Only for these, since folding costs
// more than every rule together.
const FOLDABLE = /[\u00a0\u00b2\u00b3\u00b9\u3000\u2000-\u209f\u2100-\u24ff\ufe00-\uffef\u{1d400}-\u{1d7ff}\u{1f100}-\u{1f10a}]/u;
// What NFKC leaves for the rules to trip on: zero-width, direction, tag and other invisible
// characters, which split a value so no rule sees it whole (removed), and characters a reader takes
// for a slash, a colon or a digit (`∕home∕alice`, Arabic-Indic ١٠, Devanagari १०…), read as that,
// and hyphen and minus look-alikes between two digits (`123–45–6789`), read as `-`: elsewhere a dash
// is the boundary it looks like (`alice@example.com—see`), which `-` is not to the rules. Not the ideographic full stop: it ends every Japanese sentence, and
// reading it would send all such text down this slower path for the sake of `10。0。0。1`.
const UNFOLDED = /[\p{Cf}\p{DI}\u180e\u2044\u2215\u29f8\u2216\u29f5\u29f9\u2010-\u2013\u2212\u2236]|[^\P{Nd}0-9]/gu;
const AS_ASCII: Readonly<Record<string, string>> = {
  '\u2044': '/', '\u2215': '/', '\u29f8': '/', '\u2216': '\\', '\u29f5': '\\', '\u29f9': '\\',
  '\u2236': ':',
};
const DIGIT = /\p{Nd}/u;
const DASHES = /[\u2010-\u2013\u2212]/;
const ASCII_DIGIT = /[0-9]/;
// Digits already read; bounded by the few hundred decimal digits Unicode has.
const ASCII_DIGITS = new Map<string, string>();
// Percent-encoded separators (`%2Fhome%2Falice`, `alice%40example.com`).
const ENCODED_SEPARATOR = /%(?:2f|5c|40|3a)/gi;
const DECODED: Readonly<Record<string, string>> = { '%2f': '/', '%5c': '\\', '%40': '@', '%3a': ':' };

/**
 * The ASCII digit for a decimal digit of any script. Unicode assigns decimal digits only in
 * contiguous runs of ten, 0 to 9, so the value is the distance from where adjacent runs begin,
 * modulo 10 (at most 20 steps back for the digits NFKC leaves as they are).
 */
function asciiDigit(digit: string): string {
  let ascii = ASCII_DIGITS.get(digit);
  if (ascii === undefined) {
    const code = digit.codePointAt(0) ?? 0;
    let first = code;
    while (DIGIT.test(String.fromCodePoint(first - 1))) first--;
    ascii = String((code - first) % 10);
    ASCII_DIGITS.set(digit, ascii);
  }
  return ascii;
}

/** True when `value` holds a character `unhidden()` rewrites. */
function hides(value: string): boolean {
  const table = mayHideTable();
  for (let i = 0; i < value.length; i++) {
    if (table[value.charCodeAt(i)] === 1 && HIDING.test(value.slice(i, i + 2))) return true;
  }
  return false;
}

/** `value` compatibility-normalized where it can be, invisibles removed, look-alikes read as ASCII. */
function unhidden(value: string): string {
  if (!hides(value)) return value;
  let out = value;
  if (FOLDABLE.test(out)) out = out.normalize('NFKC');
  return out.replace(UNFOLDED, (c, at: number, text: string) => {
    if (DASHES.test(c)) return ASCII_DIGIT.test(text[at - 1] ?? '') && ASCII_DIGIT.test(text[at + 1] ?? '') ? '-' : c;
    return AS_ASCII[c] ?? (DIGIT.test(c) ? asciiDigit(c) : '');
  });
}

/**
 * The form the rules read: compatibility-normalized (full-width `１９２．１６８…`, `＠` and
 * mathematical `𝟏𝟎` become ASCII, as an input method types them), invisible characters removed,
 * other scripts' digits and slash look-alikes (`∕home∕alice`) read as ASCII, separators decoded.
 */
export function canonical(value: string): string {
  let out = NON_ASCII.test(value) ? unhidden(value) : value;
  if (out.includes('%')) out = out.replace(ENCODED_SEPARATOR, (e) => DECODED[e.toLowerCase()] ?? e);
  return out;
}
