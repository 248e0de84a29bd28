import type { ServerResponse } from 'node:http';

/** Live updates to dashboards over server-sent events. */
export interface SseHub {
  /** Turns a response into an event stream and sends the current state at once; false (nothing sent) when `MAX_CLIENTS` are open. */
  attach(res: ServerResponse): boolean;
  /** Says the state changed; clients get it within `throttleMs`, coalesced. */
  notify(): void;
  /** Ends every stream (the server is closing). */
  close(): void;
  /** Open streams. */
  readonly clients: number;
}

/**
 * A client still reading an earlier message skips updates (each is the whole state, so the next
 * will do): one message is all a slow reader holds. One that makes no progress for this long is
 * disconnected; `EventSource` reconnects by itself to a fresh state.
 */
const STALLED_MS = 30_000;
/** Streams open at once: a dashboard or a few; each may hold one whole state while it reads. */
const MAX_CLIENTS = 16;

/**
 * Server-sent events rather than a websocket: one-way is all a dashboard needs, it is plain HTTP
 * (no upgrade, no dependency), and `EventSource` reconnects by itself. Each message is the whole
 * state (`event: state`), so a client that missed one loses nothing.
 */
export function createSseHub(state: () => string, throttleMs = 200, stalledMs = STALLED_MS): SseHub {
  const clients = new Set<ServerResponse>();
  let timer: NodeJS.Timeout | undefined;

  // When each client that is behind first skipped an update, and how much it then had left to read.
  const behind = new WeakMap<ServerResponse, { since: number; left: number }>();
  const send = (res: ServerResponse, chunk: string) => {
    const left = res.writableLength;
    if (left === 0) {
      behind.delete(res);
      res.write(chunk);
      return;
    }
    const was = behind.get(res);
    if (was === undefined || left < was.left) behind.set(res, { since: Date.now(), left });
    else if (Date.now() - was.since > stalledMs) {
      clients.delete(res);
      res.destroy();
    }
  };
  const message = () => `event: state\ndata: ${state()}\n\n`;
  const broadcast = () => {
    timer = undefined;
    if (clients.size === 0) return;
    const chunk = message();
    for (const res of clients) send(res, chunk);
  };
  // Comments keep idle streams alive through proxies and let the browser notice a dead server.
  const heartbeat = setInterval(() => {
    for (const res of clients) send(res, ': ping\n\n');
  }, 15_000);
  // Unref'd: an open dashboard must not keep a closing process alive.
  heartbeat.unref();

  return {
    attach(res) {
      if (clients.size >= MAX_CLIENTS) return false;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 1000\n\n');
      clients.add(res);
      res.on('close', () => clients.delete(res));
      // The first state goes out whatever is buffered (the headers, just written).
      res.write(message());
      return true;
    },
    notify() {
      timer ??= setTimeout(broadcast, throttleMs);
      timer.unref();
    },
    close() {
      clearInterval(heartbeat);
      if (timer) clearTimeout(timer);
      for (const res of clients) res.end();
      clients.clear();
    },
    get clients() {
      return clients.size;
    },
  };
}
