/**
 * The ClusterLoadAssignment of a consumed service: its healthy endpoints grouped by locality
 * (the zone they run in), each weighted and labelled with its tags for subset load balancing.
 * Every locality gets priority 0; locality-aware routing (local zone first) is a later policy.
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
      lbEndpoints: [...(byZone.get(zone) ?? [])].sort(byAddress).map(lbEndpoint),
    }),
  );
  return create(ClusterLoadAssignmentSchema, { clusterName: outboundClusterName(service), endpoints: localities });
}
