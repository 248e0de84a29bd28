import type { Server } from 'node:http';

/** Starts `server` listening; resolves once it is, rejects with the error (EADDRINUSE and the like) if it cannot. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
