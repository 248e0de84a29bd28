const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether a JSON text nests objects/arrays deeper than `maxDepth`, found by one flat scan.
 *
 * This runs before any recursive walk of the parsed value, so a hostile `[[[[…` cannot
 * overflow the stack. It works on UTF-8 bytes: multi-byte sequences never contain ASCII
 * bytes, so brackets inside strings are the only thing to skip. Malformed JSON is left for
 * `JSON.parse` to reject.
 */
export function jsonNestingExceeds(utf8: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < utf8.length; i++) {
    const c = utf8[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}
