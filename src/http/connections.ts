import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Sockets looked at, oldest first, for one to close when a new connection arrives at the cap. */
const EVICTION_SCAN = 64;

/** Told when a connection starts and ends a request, so the longest-idle one is known. */
export interface ConnectionTracker {
  busy(socket: Socket): void;
  idle(socket: Socket): void;
  /** Open connections. */
  readonly size: number;
}

/**
 * Caps a server's open connections without letting idle ones lock clients out: at the cap, a new
 * connection closes the one idle longest — between requests, or still sending its headers — and
 * only when every connection is in the middle of a request is the new one refused. One client
 * holding thousands of silent sockets therefore delays nobody for long.
 */
export function trackConnections(server: Server, max: number): ConnectionTracker {
  // Map order is least recently active first: a socket moves to the end whenever its state changes.
  const requests = new Map<Socket, number>();
  const touch = (socket: Socket, delta: number) => {
    const n = requests.get(socket);
    if (n === undefined) return;
    requests.delete(socket);
    requests.set(socket, Math.max(0, n + delta));
  };
  server.on('connection', (socket: Socket) => {
    requests.set(socket, 0);
    socket.once('close', () => requests.delete(socket));
    if (requests.size <= max) return;
    let scanned = 0;
    for (const [other, active] of requests) {
      if (++scanned > EVICTION_SCAN) break;
      if (active === 0 && other !== socket) {
        other.destroy();
        requests.delete(other);
        return;
      }
    }
    socket.destroy();
    requests.delete(socket);
  });
  return {
    busy: (socket) => touch(socket, 1),
    idle: (socket) => touch(socket, -1),
    get size() {
      return requests.size;
    },
  };
}
