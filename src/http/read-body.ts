import type { IncomingMessage } from 'node:http';
import type { ByteBudget } from './byte-budget.js';

/** A request body, or why there is none: too large (413), too slow (408), cut off (400), or no room for it right now (503). */
export type BodyResult =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly status: 400 | 408 | 413 | 503; readonly reason: string };

/** What else a body read may honour. */
export interface ReadBodyOptions {
  /** Shared by all bodies being received; a body that does not fit gets 503. */
  readonly budget?: ByteBudget;
  /** Called once the body is going to be read: where an `Expect: 100-continue` client is told to send it. */
  readonly beforeReading?: () => void;
}

const NO_ROOM = 'the server is receiving too much data at once; try again later';

/**
 * Reads a body of at most `limit` bytes within `deadlineMs`. Past the limit nothing more is kept
 * (the caller answers 413); a client that trickles its body past the deadline gets 408, so a slow
 * sender holds a socket for seconds, not minutes. With a budget, the bytes held count against it
 * until the read ends.
 */
export function readBody(req: IncomingMessage, limit: number, deadlineMs: number, options: ReadBodyOptions = {}): Promise<BodyResult> {
  const { budget } = options;
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      resolve({ ok: false, status: 413, reason: `body is larger than ${limit} bytes` });
      return;
    }
    if (budget && Number.isFinite(declared) && declared > budget.left) {
      resolve({ ok: false, status: 503, reason: NO_ROOM });
      return;
    }
    options.beforeReading?.();
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      budget?.give(size);
      chunks.length = 0;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.byteLength > limit) return finish({ ok: false, status: 413, reason: `body is larger than ${limit} bytes` });
      if (budget && !budget.take(chunk.byteLength)) return finish({ ok: false, status: 503, reason: NO_ROOM });
      size += chunk.byteLength;
      chunks.push(chunk);
    };
    const timer = setTimeout(() => finish({ ok: false, status: 408, reason: `body not received within ${deadlineMs} ms` }), deadlineMs);
    req.on('data', onData);
    req.on('end', () => {
      if (settled) return;
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
      finish({ ok: true, body });
    });
    req.on('error', () => finish({ ok: false, status: 400, reason: 'the request was cut off' }));
    req.on('aborted', () => finish({ ok: false, status: 400, reason: 'the request was cut off' }));
  });
}
