import type { Server } from 'node:http';

/** Node's parser errors that have a status of their own; anything else a client sends wrong is a 400. */
const STATUS_LINES: Readonly<Record<string, string>> = {
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
};

/**
 * Makes a listening server survive whatever its sockets do: a server error is logged, and a client
 * that sends something that is not HTTP gets a bare 400 (408 when its headers were too slow, 431 when
 * too large) and a closed connection (or is dropped when it already reset), instead of an unhandled
 * error taking the process down.
 */
export function keepServing(server: Server, log: (line: string) => void): void {
  server.on('error', (err) => log(`server error: ${err.message}`));
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // A response already on the wire (a refusal whose body is being drained) cannot be followed by
    // another status line: the client would take it for the answer to its next request.
    const answering = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (!socket.writable || err.code === 'ECONNRESET' || answering) {
      socket.destroy();
      return;
    }
    const status = STATUS_LINES[err.code ?? ''] ?? '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });
}
