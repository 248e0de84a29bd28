import type { IncomingMessage } from 'node:http';

/** A request body, or why there is none: too large (413), too slow (408) or cut off (400). */
export type BodyResult =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly status: 400 | 408 | 413; readonly reason: string };

/**
 * Reads a body of at most `limit` bytes within `deadlineMs`. Past the limit nothing more is kept
 * (the caller answers 413 and closes the connection); a client that trickles its body past the
 * deadline gets 408, so a slow sender holds a socket for seconds, not minutes.
 */
export function readBody(req: IncomingMessage, limit: number, deadlineMs: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      resolve({ ok: false, status: 413, reason: `body is larger than ${limit} bytes` });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      chunks.length = 0;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) finish({ ok: false, status: 413, reason: `body is larger than ${limit} bytes` });
      else chunks.push(chunk);
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
