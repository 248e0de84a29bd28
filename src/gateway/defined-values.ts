import type { Reasons } from './reasons.js';

/**
 * Flag bits a point, record or span may keep: a data point's "no recorded value"; for a span, W3C
 * trace flags "sampled" and "random" and whether its parent is remote. A log record keeps none: the
 * gateway clears records' trace context (the SDK attaches none), so no trace flags describe it.
 * Other bits are the client's to set freely, a few bits a record that would ride upstream past the
 * allowlist.
 */
export const FLAG_BITS = { point: 0x1, record: 0x0, span: 0x303 } as const;

/** `flags` with only the bits OTLP defines for `kind`; noted in `reasons` when others were set. */
export function knownFlags(flags: number, kind: keyof typeof FLAG_BITS, reasons: Reasons): number {
  const known = (flags & FLAG_BITS[kind]) >>> 0;
  if (known !== flags) reasons.strip('undefined flag bits');
  return known;
}

/**
 * The largest number of each OTLP enum: span kind (`SPAN_KIND_CONSUMER`), status code
 * (`STATUS_CODE_ERROR`), severity number (`SEVERITY_NUMBER_FATAL4`). Proto3 enums are open, so a
 * decoder keeps any 32-bit number; past these it means nothing upstream but what the client chose.
 */
export const ENUM_MAX = { 'span kinds': 5, 'status codes': 2, 'severity numbers': 24 } as const;

/** `value` if it is a number OTLP defines for `kind`, else 0 (unspecified), noted in `reasons`. */
export function knownEnum(value: number, kind: keyof typeof ENUM_MAX, reasons: Reasons): number {
  if (value >= 0 && value <= ENUM_MAX[kind]) return value;
  reasons.strip(`${kind} OTLP does not define`);
  return 0;
}

/** Bytes of an OTLP trace id and span id. */
const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;
const ALL_ZERO = /^0+$/;

/**
 * Whether a normalized (hex) id is what OTLP allows: exactly 16 bytes for a trace id, 8 for a span
 * id, not all zero. Anything else is bytes a client chose, which would ride upstream past the allowlist.
 */
export function isOtlpId(hex: string, kind: 'trace' | 'span'): boolean {
  return hex.length === 2 * (kind === 'trace' ? TRACE_ID_BYTES : SPAN_ID_BYTES) && !ALL_ZERO.test(hex);
}
