import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

/** Headers a proxy adds: a request carrying one did not come straight from this host. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

/**
 * True only for a direct call from this machine: loopback peer, no proxy headers, a loopback
 * `Host`, and no cross-site browser origin. The last two keep a web page open in a local
 * browser from borrowing the localhost-is-admin rule (Kuma checks the same).
 */
export function isDirectLoopbackRequest(request: FastifyRequest): boolean {
  if (!isLoopbackAddress(request.socket.remoteAddress ?? '')) return false;
  if (PROXY_HEADERS.some((h) => request.headers[h] !== undefined)) return false;
  const host = request.headers.host ?? '';
  if (!isLoopbackHost(hostWithoutPort(host))) return false;
  if (request.headers['sec-fetch-site'] === 'cross-site') return false;
  const origin = request.headers.origin;
  return origin === undefined || isSameLoopbackOrigin(origin, host);
}

function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase();
  if (a.startsWith('::ffff:')) return isLoopbackAddress(a.slice('::ffff:'.length));
  if (isIP(a) === 4) return a.startsWith('127.');
  return a === '::1';
}

function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || isLoopbackAddress(h.replace(/^\[|\]$/g, ''));
}

function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 || host.indexOf(':') !== colon ? host : host.slice(0, colon);
}

function isSameLoopbackOrigin(origin: string, host: string): boolean {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return isLoopbackHost(url.hostname) && url.host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}
