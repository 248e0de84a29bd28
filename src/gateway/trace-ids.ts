/** Bytes of an OTLP trace id and span id. */
const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;
const ALL_ZERO = /^0+$/;

/**
 * Whether a normalized (hex) id is what OTLP allows: exactly 16 bytes for a trace id, 8 for a span
 * id, not all zero. Empty means absent, allowed where the field is optional. Anything else is bytes
 * a client chose, which would ride upstream past the allowlist.
 */
export function isOtlpId(hex: string, kind: 'trace' | 'span', optional: boolean): boolean {
  if (hex === '') return optional;
  return hex.length === 2 * (kind === 'trace' ? TRACE_ID_BYTES : SPAN_ID_BYTES) && !ALL_ZERO.test(hex);
}
