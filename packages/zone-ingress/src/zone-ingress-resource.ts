/**
 * The ZoneIngress `strait zone-ingress run` registers, built from its flags (there is no
 * resource file): name, listener address and port, advertised address and port, admin port.
 * The zone CP sets `zone` and computes `availableServices`.
 */
import { hostname, networkInterfaces } from 'node:os';
import { StraitError, type UniversalObject, type Violation } from '@strait/shared';
import { DEFAULT_INGRESS_PORT, type ZoneIngressOptions } from './zone-ingress-options.js';

/** The default ingress name: the host name, lower-cased, with characters outside `[a-z0-9.-]` as `-`. */
export function defaultIngressName(host: string = hostname()): string {
  const name = host
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name === '' ? 'zone-ingress' : name;
}

/** The host's first non-internal IPv4 address, else 127.0.0.1. */
export function defaultIngressAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const nic of list ?? []) if (nic.family === 'IPv4' && !nic.internal) return nic.address;
  }
  return '127.0.0.1';
}

const ANY = new Set(['0.0.0.0', '::']);

/** The universal ZoneIngress to register; throws `Invalid` naming the flag when the flags cannot work. */
export function zoneIngressResource(options: ZoneIngressOptions): UniversalObject {
  const name = options.name ?? defaultIngressName();
  const address = options.address ?? defaultIngressAddress();
  const port = options.port ?? DEFAULT_INGRESS_PORT;
  const advertisedAddress = options.advertisedAddress ?? address;
  const advertisedPort = options.advertisedPort ?? port;
  const violations: Violation[] = [];
  if (ANY.has(advertisedAddress)) {
    violations.push({
      field: '--advertised-address',
      reason: `other zones cannot dial ${advertisedAddress}: set the address they reach this ingress at`,
    });
  }
  if (options.adminPort !== undefined && options.adminPort === port) {
    violations.push({ field: '--admin-port', reason: 'must differ from --port' });
  }
  if (violations.length > 0) {
    const list = violations.map((v) => `${v.field}: ${v.reason}`).join('; ');
    throw new StraitError('Invalid', `cannot run the zone ingress: ${list}`, { violations });
  }
  return {
    type: 'ZoneIngress',
    name,
    networking: {
      address,
      port,
      advertisedAddress,
      advertisedPort,
      ...(options.adminPort === undefined ? {} : { admin: { port: options.adminPort } }),
    },
  };
}
