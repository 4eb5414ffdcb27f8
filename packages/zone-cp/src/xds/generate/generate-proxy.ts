/**
 * A proxy's whole Envoy configuration from its {@link ProxyContext}: the composition of the
 * small generators beside this file. Pure and deterministic: the same context gives the same
 * resources in the same order (sorted by name), so content hashes are stable.
 */

import type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration, Secret } from '@strait/proto/envoy';
import { generateAdminCluster } from './admin-cluster.js';
import { generateClusterLoadAssignment } from './endpoints.js';
import { generateInboundListener } from './inbound-listener.js';
import { generateLocalCluster } from './local-cluster.js';
import { generateOutboundCluster } from './outbound-cluster.js';
import { generateOutboundListener } from './outbound-listener.js';
import { generatePrometheusListener } from './prometheus-listener.js';
import type { ProxyContext } from './proxy-context.js';
import { generateSecrets } from './secrets.js';

/** What one proxy gets over xDS, per type. */
export interface ProxyResources {
  readonly listeners: Listener[];
  readonly clusters: Cluster[];
  readonly endpoints: ClusterLoadAssignment[];
  /** Route configurations served over RDS; empty today (listeners carry their routes inline). */
  readonly routes: RouteConfiguration[];
  readonly secrets: Secret[];
}

/** Sorted by name; of two resources with one name (e.g. two inbounds to one local port), the first is kept. */
function uniqueByName<T extends { name: string }>(resources: readonly T[]): T[] {
  const byName = new Map<string, T>();
  for (const resource of resources) if (!byName.has(resource.name)) byName.set(resource.name, resource);
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Generates every Envoy resource of one proxy. */
export function generateProxyResources(ctx: ProxyContext): ProxyResources {
  const { inbounds, outbounds } = ctx.dataplane;
  const listeners = [
    ...inbounds.map((inbound) => generateInboundListener(ctx, inbound)),
    ...outbounds.map(generateOutboundListener),
    ...(ctx.metricsPort === undefined
      ? []
      : [
          generatePrometheusListener({
            address: ctx.dataplane.address,
            port: ctx.metricsPort,
            ...(ctx.metricsPath === undefined ? {} : { path: ctx.metricsPath }),
          }),
        ]),
  ];
  const clusters = [
    ...inbounds.map(generateLocalCluster),
    ...outbounds.map((outbound) => generateOutboundCluster(ctx, outbound)),
    generateAdminCluster(ctx.adminPort),
  ];
  const services = [...new Set(outbounds.map((o) => o.service))].sort();
  return {
    listeners: uniqueByName(listeners),
    clusters: uniqueByName(clusters),
    endpoints: services.map((service) => generateClusterLoadAssignment(ctx, service)),
    routes: [],
    secrets: generateSecrets(ctx.secrets ?? []),
  };
}
