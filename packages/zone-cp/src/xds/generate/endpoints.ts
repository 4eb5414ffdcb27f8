/**
 * The ClusterLoadAssignment of a consumed service: its healthy endpoints grouped by locality
 * (the zone they run in), each weighted and labelled with its tags for subset load balancing.
 *
 * Locality-aware by default, with Envoy's priority levels: the proxy's own zone is priority 0,
 * every other zone priority 1. Envoy sends a priority level all traffic while its healthy share
 * times the overprovisioning factor (Envoy's default 1.4) reaches 100%, i.e. down to ~72% of
 * local endpoints healthy, then spills the rest to priority 1 in proportion; with no local
 * endpoint (none ready, or all removed from EDS) everything goes to the other zones.
 *
 * Within priority 1, zones split by instances: a remote endpoint (a zone ingress) carries the
 * number of instances behind it as its `load_balancing_weight`. Without
 * `locality_weighted_lb_config` on the cluster Envoy ignores locality weights and balances over
 * all hosts of a priority by their own weights, which is exactly the split wanted, so localities
 * carry no weight and clusters need no locality-weighted config.
 */

import { create, type JsonObject } from '@bufbuild/protobuf';
import {
  type ClusterLoadAssignment,
  ClusterLoadAssignmentSchema,
  type LbEndpoint,
  LbEndpointSchema,
  type LocalityLbEndpoints,
  LocalityLbEndpointsSchema,
} from '@strait/proto/envoy';
import { socketAddress } from './envoy-parts.js';
import { outboundClusterName } from './names.js';
import type { Endpoint, ProxyContext } from './proxy-context.js';

/** Envoy's metadata namespace for subset load balancing. */
const LB_METADATA = 'envoy.lb';

function localityZone(ctx: ProxyContext, endpoint: Endpoint): string {
  return endpoint.locality?.zone ?? endpoint.zone ?? ctx.zone;
}

function sortedTags(tags: Readonly<Record<string, string>>): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(tags).sort()) out[key] = tags[key] ?? '';
  return out;
}

function lbEndpoint(endpoint: Endpoint): LbEndpoint {
  return create(LbEndpointSchema, {
    hostIdentifier: { case: 'endpoint', value: { address: socketAddress(endpoint.address, endpoint.port) } },
    loadBalancingWeight: endpoint.weight ?? 1,
    ...(Object.keys(endpoint.tags).length === 0
      ? {}
      : { metadata: { filterMetadata: { [LB_METADATA]: sortedTags(endpoint.tags) } } }),
  });
}

function byAddress(a: Endpoint, b: Endpoint): number {
  return a.address < b.address ? -1 : a.address > b.address ? 1 : a.port - b.port;
}

/** Priority of the proxy's own zone; every other zone is {@link REMOTE_PRIORITY}. */
export const LOCAL_PRIORITY = 0;
/** Priority of other zones' endpoints: used when the local ones are (mostly) gone. */
export const REMOTE_PRIORITY = 1;

/** The endpoints of one service, by locality: the proxy's own zone first, then the others by name. */
export function generateClusterLoadAssignment(ctx: ProxyContext, service: string): ClusterLoadAssignment {
  const byZone = new Map<string, Endpoint[]>();
  for (const endpoint of ctx.endpoints.get(service) ?? []) {
    const zone = localityZone(ctx, endpoint);
    const group = byZone.get(zone) ?? [];
    group.push(endpoint);
    byZone.set(zone, group);
  }
  const zones = [...byZone.keys()].sort((a, b) =>
    a === ctx.zone ? -1 : b === ctx.zone ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  const localities: LocalityLbEndpoints[] = zones.map((zone) =>
    create(LocalityLbEndpointsSchema, {
      locality: { zone },
      priority: zone === ctx.zone ? LOCAL_PRIORITY : REMOTE_PRIORITY,
      lbEndpoints: [...(byZone.get(zone) ?? [])].sort(byAddress).map(lbEndpoint),
    }),
  );
  return create(ClusterLoadAssignmentSchema, { clusterName: outboundClusterName(service), endpoints: localities });
}
