/**
 * Services of a mesh that live in other zones, as this zone's proxies reach them: through the
 * zone ingress of the zone they live in. Each ZoneIngress of another zone contributes, per
 * service of the mesh it makes available, one endpoint: the ingress's advertised address,
 * weighted by the instances behind it, filed under its zone's locality, presenting the service's
 * SNI (which the ingress routes by). Cross-zone traffic is the sidecars' mTLS passed through the
 * ingress untouched, so without mTLS on the mesh there are no remote endpoints, only the reason.
 */

import { type Resource, SERVICE_TAG, serviceSni, ZONE_TAG, type ZoneIngressSpec } from '@strait/shared';
import type { Endpoint, ProxyWarning } from '../generate/index.js';

/** Inputs of {@link remoteEndpoints} besides the ingresses. */
export interface RemoteEndpointsOptions {
  /** The mesh whose services are wanted. */
  readonly mesh: string;
  /** This CP's zone: its own ingresses lead nowhere new and are skipped. */
  readonly zone: string;
  /** Whether the mesh has mTLS enabled (required for cross-zone traffic). */
  readonly mtls: boolean;
}

/** What {@link remoteEndpoints} found. */
export interface RemoteEndpoints {
  /** Per `kuma.io/service`: one endpoint per (remote ingress, service it makes available). */
  readonly endpoints: ReadonlyMap<string, readonly Endpoint[]>;
  /** Remote services that are known but cannot be reached, one per (service, zone), sorted. */
  readonly unreachable: readonly ProxyWarning[];
}

/** A service as one ingress offers it: instances summed over its tag sets, and the tags they all share. */
interface OfferedService {
  instances: number;
  commonTags: Record<string, string>;
}

/** The zone an ingress serves: `spec.zone`, else the `kuma.io/zone` label KDS sets on synced copies. */
function zoneOf(ingress: Resource): string | undefined {
  const spec = ingress.spec as ZoneIngressSpec;
  const zone = spec.zone ?? ingress.meta.labels[ZONE_TAG];
  return zone === '' ? undefined : zone;
}

/** Where other zones dial the ingress: the advertised address and port, else the listener's. */
function dialAddressOf(spec: ZoneIngressSpec): { address: string; port: number } | undefined {
  const net = spec.networking;
  if (net.advertisedAddress !== undefined && net.advertisedAddress !== '') {
    return { address: net.advertisedAddress, port: net.advertisedPort ?? net.port };
  }
  if (net.address !== undefined && net.address !== '') return { address: net.address, port: net.port };
  return undefined;
}

function intersect(a: Record<string, string>, b: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(a)) if (b[key] === value) out[key] = value;
  return out;
}

/** The services of `mesh` one ingress makes available. An entry without `instances` counts as one. */
function offeredServices(spec: ZoneIngressSpec, mesh: string): Map<string, OfferedService> {
  const byService = new Map<string, OfferedService>();
  for (const available of spec.availableServices ?? []) {
    const service = available.tags[SERVICE_TAG];
    const instances = available.instances ?? 1;
    if (available.mesh !== mesh || service === undefined || instances <= 0) continue;
    const seen = byService.get(service);
    if (seen === undefined) byService.set(service, { instances, commonTags: { ...available.tags } });
    else {
      seen.instances += instances;
      seen.commonTags = intersect(seen.commonTags, available.tags);
    }
  }
  return byService;
}

/** Why cross-zone traffic is impossible in a mesh without mTLS. */
export function crossZoneNeedsMtlsReason(mesh: string): string {
  return `mesh ${mesh} has no mTLS; cross-zone traffic through a zone ingress needs it`;
}

/** The endpoints of `options.mesh`'s services behind the ingresses of other zones. Pure. */
export function remoteEndpoints(ingresses: readonly Resource[], options: RemoteEndpointsOptions): RemoteEndpoints {
  const endpoints = new Map<string, Endpoint[]>();
  const unreachable = new Map<string, ProxyWarning>();
  for (const ingress of ingresses) {
    const zone = zoneOf(ingress);
    if (zone === undefined || zone === options.zone) continue;
    const spec = ingress.spec as ZoneIngressSpec;
    const dial = dialAddressOf(spec);
    if (dial === undefined) continue; // not registered far enough to be dialled yet
    for (const [service, offered] of offeredServices(spec, options.mesh)) {
      if (!options.mtls) {
        const reason = crossZoneNeedsMtlsReason(options.mesh);
        unreachable.set(`${service}\n${zone}`, { code: 'CrossZoneNeedsMtls', service, zone, reason });
        continue;
      }
      const list = endpoints.get(service) ?? [];
      list.push({
        address: dial.address,
        port: dial.port,
        // The tags every instance behind the ingress shares still hold for the endpoint (subset routing).
        tags: { ...offered.commonTags, [SERVICE_TAG]: service, [ZONE_TAG]: zone },
        zone,
        weight: offered.instances,
        locality: { zone },
        sni: serviceSni(options.mesh, { [SERVICE_TAG]: service }),
      });
      endpoints.set(service, list);
    }
  }
  const sorted = [...unreachable.values()].sort((a, b) =>
    a.service === b.service ? (a.zone < b.zone ? -1 : 1) : a.service < b.service ? -1 : 1,
  );
  return { endpoints, unreachable: sorted };
}
