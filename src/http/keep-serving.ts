import type { Server } from 'node:http';

/**
 * Makes a listening server survive whatever its sockets do: a server error is logged, and a client
 * that sends something that is not HTTP gets a bare 400 and a closed connection (or is dropped when
 * it already reset), instead of an unhandled error taking the process down.
 */
export function keepServing(server: Server, log: (line: string) => void): void {
  server.on('error', (err) => log(`server error: ${err.message}`));
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (socket.writable && err.code !== 'ECONNRESET') socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
}
