import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { sleep } from './sleep.js';

/** Told when a connection starts and ends a request, so the longest-idle one is known. */
export interface ConnectionTracker {
  busy(socket: Socket): void;
  idle(socket: Socket): void;
  /**
   * Resolves once no request is in progress (a socket that closes takes its requests with it, even
   * pipelined ones never answered), or after `timeoutMs`.
   */
  quiet(timeoutMs: number): Promise<void>;
}

/**
 * Caps a server's open connections without letting idle ones lock clients out: at the cap, a new
 * connection closes the one idle longest — between requests, or still sending its headers — and
 * only when every connection is in the middle of a request is the new one refused. One client
 * holding thousands of silent sockets therefore delays nobody for long.
 */
export function trackConnections(server: Server, max: number): ConnectionTracker {
  // Requests in progress per open socket; and the idle ones alone, longest idle first (Map order).
  const requests = new Map<Socket, number>();
  const idle = new Map<Socket, true>();
  let inProgress = 0;
  const waiting = new Set<() => void>();
  const settle = (n: number) => {
    inProgress -= n;
    if (inProgress === 0) for (const wake of [...waiting]) wake();
  };
  server.on('connection', (socket: Socket) => {
    requests.set(socket, 0);
    idle.set(socket, true);
    socket.once('close', () => {
      settle(requests.get(socket) ?? 0);
      requests.delete(socket);
      idle.delete(socket);
    });
    if (requests.size <= max) return;
    for (const other of idle.keys()) {
      if (other === socket) continue;
      other.destroy();
      requests.delete(other);
      idle.delete(other);
      return;
    }
    socket.destroy();
    requests.delete(socket);
    idle.delete(socket);
  });
  return {
    busy(socket) {
      const n = requests.get(socket);
      if (n === undefined) return;
      requests.set(socket, n + 1);
      idle.delete(socket);
      inProgress++;
    },
    idle(socket) {
      const n = requests.get(socket);
      if (n === undefined || n === 0) return;
      requests.set(socket, n - 1);
      if (n === 1) idle.set(socket, true);
      settle(1);
    },
    quiet: (timeoutMs) => (inProgress === 0 ? Promise.resolve() : sleep(timeoutMs, waiting)),
  };
}
