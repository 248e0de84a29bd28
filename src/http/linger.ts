import type { IncomingMessage } from 'node:http';

/** Most of a refused body read and thrown away so its sender sees the answer; a longer one is cut. */
const LINGER_BYTES = 64 * 1024 * 1024;
/** Longest a refused body is drained after the answer. */
const LINGER_MS = 5_000;

/** Whether the rest of a refused request's body is worth draining: it is coming, and not declared past the cap. */
export function drainable(req: IncomingMessage): boolean {
  if (req.complete) return false;
  const declared = Number(req.headers['content-length']);
  return !Number.isFinite(declared) || declared <= LINGER_BYTES;
}

/**
 * After a refusal answered before the body was read (413, 415, 429…), whose answer is written but
 * not ended: reads and discards the rest of the body and only then calls `end` — closing a socket
 * with unread data resets it, and the sender would see that (which an OTLP exporter retries as a
 * network error) instead of the answer. A sender that goes on past `LINGER_BYTES` or `LINGER_MS` is cut off.
 */
export function lingerOnBody(req: IncomingMessage, end: () => void): void {
  let seen = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    seen += chunk.byteLength;
    if (seen > LINGER_BYTES) cut();
  });
  req.once('end', () => {
    clearTimeout(timer);
    end();
  });
  req.once('close', () => clearTimeout(timer));
  req.resume();
}
