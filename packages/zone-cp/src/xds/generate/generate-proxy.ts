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

/**
 * Remembers resources that do not depend on the individual proxy (outbound listeners and
 * clusters, endpoints, local and admin clusters) so that proxies generated from the same mesh
 * inputs share one object each: generated once, hashed once by the snapshot cache. Whoever
 * holds it must drop it when the mesh inputs change (the reconciler keeps one per mesh context).
 */
export type GenerationMemo = Map<string, unknown>;

/** Creates an empty {@link GenerationMemo}. */
export function createGenerationMemo(): GenerationMemo {
  return new Map();
}

function memoized<T>(memo: GenerationMemo | undefined, key: string, make: () => T): T {
  if (memo === undefined) return make();
  const hit = memo.get(key);
  if (hit !== undefined) return hit as T;
  const made = make();
  memo.set(key, made);
  return made;
}

/**
 * Generates every Envoy resource of one proxy. With a `memo`, the proxy-independent parts are
 * shared with other proxies of the same mesh inputs; the output is the same either way.
 */
export function generateProxyResources(ctx: ProxyContext, memo?: GenerationMemo): ProxyResources {
  const { inbounds, outbounds } = ctx.dataplane;
  // Everything in the context that the proxy-independent generators read, besides their own argument.
  const shared = `${ctx.mesh.name}|${JSON.stringify(ctx.mesh.mtls ?? null)}|${ctx.identity?.certSecretName ?? ''}|${ctx.identity?.caSecretName ?? ''}|${ctx.zone}`;
  const listeners = [
    ...inbounds.map((inbound) => generateInboundListener(ctx, inbound)),
    ...outbounds.map((o) =>
      memoized(memo, `ol|${o.address ?? ''}|${o.port}|${o.service}|${o.protocol}`, () => generateOutboundListener(o)),
    ),
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
    ...inbounds.map((i) =>
      memoized(memo, `lc|${i.servicePort}|${i.serviceAddress ?? ''}|${i.protocol}|${i.service}`, () =>
        generateLocalCluster(i),
      ),
    ),
    ...outbounds.map((o) =>
      memoized(memo, `oc|${shared}|${o.service}|${o.protocol}`, () => generateOutboundCluster(ctx, o)),
    ),
    memoized(memo, `admin|${ctx.adminPort}`, () => generateAdminCluster(ctx.adminPort)),
  ];
  const services = [...new Set(outbounds.map((o) => o.service))].sort();
  return {
    listeners: uniqueByName(listeners),
    clusters: uniqueByName(clusters),
    endpoints: services.map((service) =>
      memoized(memo, `eds|${shared}|${service}`, () => generateClusterLoadAssignment(ctx, service)),
    ),
    routes: [],
    secrets: generateSecrets(ctx.secrets ?? []),
  };
}
