import { describe, expect, it } from 'vitest';
import { hostOfHeader, isLoopback, urlHost } from '../../src/http/loopback.js';

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', 'localhost.', 'app.localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1', '0::1', '::ffff:127.0.0.1'])(
    'accepts %s',
    (host) => expect(isLoopback(host)).toBe(true),
  );

  it.each(['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', '128.0.0.1', 'example.com', 'localhost.example.com', '::2', '::ffff:10.0.0.1', ''])(
    'refuses %s',
    (host) => expect(isLoopback(host)).toBe(false),
  );
});

describe('urlHost and hostOfHeader', () => {
  it('brackets IPv6 and shows wildcard addresses as loopback', () => {
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('0.0.0.0')).toBe('127.0.0.1');
    expect(urlHost('::')).toBe('[::1]');
  });

  it('takes the port off a Host header', () => {
    expect(hostOfHeader('127.0.0.1:4318')).toBe('127.0.0.1');
    expect(hostOfHeader('[::1]:4318')).toBe('::1');
    expect(hostOfHeader('evil.example')).toBe('evil.example');
  });
});
