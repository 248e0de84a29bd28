import { request } from 'node:http';

/** Small HTTP helpers for talking to a dev server the way exporters and browsers do. */

/** POSTs a body and returns status, headers and the raw response bytes. */
export async function post(url: string, body: Uint8Array | string, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** A raw request with full control over headers (fetch will not send a custom Host). */
export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: Uint8Array }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Reads server-sent events from a stream until `until` accepts one message's data; returns it. */
export async function nextEvent<T>(reader: ReadableStreamDefaultReader<Uint8Array>, until: (data: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const decoder = new TextDecoder();
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) throw new Error('event stream ended');
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = message.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      if (!data) continue;
      const parsed = JSON.parse(data) as T;
      if (until(parsed)) return parsed;
    }
  }
  throw new Error(`no matching event within ${timeoutMs} ms`);
}

/** Polls until `predicate` holds. */
export async function waitUntil(predicate: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
