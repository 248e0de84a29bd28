/** The HTTP statuses an OTLP/HTTP receiver answers a bad request with. */
export type OtlpDecodeStatus = 400 | 413 | 415;

/**
 * A request body optel refuses to decode. `status` is what an OTLP/HTTP receiver should
 * answer (400 malformed, 413 too large, 415 unsupported content type or encoding), and the
 * message is a human reason that is safe to send back: it never quotes the payload.
 */
export class OtlpDecodeError extends Error {
  /** The HTTP status to answer with. */
  readonly status: OtlpDecodeStatus;

  constructor(status: OtlpDecodeStatus, reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'OtlpDecodeError';
    this.status = status;
  }
}

/** The 413 for a body that decodes into more than `limit` messages (a small body can hold millions of empty ones). */
export function tooManyMessages(limit: number): OtlpDecodeError {
  return new OtlpDecodeError(413, `body holds more than ${limit} OTLP messages`);
}
