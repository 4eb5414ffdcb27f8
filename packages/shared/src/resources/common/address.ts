import { isIP } from 'node:net';

const DNS_LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const DNS_NAME = new RegExp(`^${DNS_LABEL}(?:\\.${DNS_LABEL})*\\.?$`);

/** True for an IPv4 or IPv6 address. */
export function isIpAddress(text: string): boolean {
  return isIP(text) !== 0;
}

/** True for a DNS name (labels of letters, digits, `-` and `_`, at most 253 characters). */
export function isDnsName(text: string): boolean {
  return text.length > 0 && text.length <= 253 && DNS_NAME.test(text);
}

/** True for an IP address or a DNS name, which is what Kuma accepts as a proxy address. */
export function isAddress(text: string): boolean {
  return isIpAddress(text) || isDnsName(text);
}

/** True for `host:port` with a valid port (IPv6 hosts in brackets). */
export function isHostPort(text: string): boolean {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  if (m === null) return false;
  const host = m[1] ?? m[2] ?? '';
  const p = Number(m[3]);
  return (m[1] === undefined ? isAddress(host) : isIpAddress(host)) && p >= 1 && p <= 65535;
}
