import { createServer, get } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { keepServing } from '../../src/http/keep-serving.js';

/** Writes raw bytes to a port and resolves with everything the server sent before closing. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

function status(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

describe('keepServing', () => {
  const server = createServer((_req, res) => res.end('ok'));
  const lines: string[] = [];
  keepServing(server, (line) => lines.push(line));
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers bytes that are not HTTP with a complete 400, closes the connection, and goes on serving', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const answer = await raw(port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('content-length: 0');
    expect(await status(port)).toBe(200);
  });

  it('answers headers too large with 431', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const answer = await raw(port, `GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
  });

  it('answers headers that do not arrive in time with 408', async () => {
    const slow = createServer({ headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 }, (_req, res) => res.end('ok'));
    keepServing(slow, () => {});
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const answer = await raw((slow.address() as AddressInfo).port, 'POST /v1/metrics HTTP/1.1\r\nhost: x\r\n');
      expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    } finally {
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it('logs a server error instead of throwing it', () => {
    server.emit('error', new Error('EMFILE, too many open files'));
    expect(lines).toEqual(['server error: EMFILE, too many open files']);
  });
});
