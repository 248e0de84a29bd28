import { isIPv4, isIPv6 } from 'node:net';

/** Where `optel dev` and `optel gateway` listen unless told otherwise: loopback only, so nothing on the network can reach them. */
export const DEFAULT_HOST = '127.0.0.1';

/** The standard OTLP/HTTP port, so exporters' defaults reach `optel dev` (or a gateway standing where a Collector stood) with no configuration. */
export const DEFAULT_PORT = 4318;

/**
 * Whether a host name or address only ever reaches this machine: `localhost` (and `*.localhost`,
 * which RFC 6761 reserves for loopback), 127.0.0.0/8, `::1` and IPv4-mapped 127.x addresses.
 * `0.0.0.0` and `::` are not loopback: they listen on every interface.
 */
export function isLoopback(host: string): boolean {
  const h = bindableHost(host).toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (!isIPv6(h)) return false;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped?.[1]) return mapped[1].startsWith('127.');
  // Expand "::" so every spelling of ::1 (0:0:0:0:0:0:0:1, 0::1, ...) compares equal.
  const [head = '', tail] = h.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.length === 8 && groups.slice(0, 7).every((g) => /^0+$/.test(g)) && /^0*1$/.test(groups[7] ?? '');
}

/** A host as `listen()` takes it: without URL brackets (`[::1]`) or a fully-qualified name's final dot (`localhost.`). */
export function bindableHost(host: string): string {
  let h = host.trim();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h.length > 1 && h.endsWith('.') ? h.slice(0, -1) : h;
}

/** The host as it goes into a URL: IPv6 in brackets, and a wildcard address shown as its loopback twin. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return isIPv6(host) ? `[${host}]` : host;
}

/** The host name of a `Host` header value (port removed, IPv6 brackets kept off). */
export function hostOfHeader(header: string): string {
  const h = header.trim();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}
