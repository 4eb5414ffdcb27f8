/**
 * A proxy's whole Envoy configuration from its {@link ProxyContext}: the composition of the
 * small generators beside this file. Pure and deterministic: the same context gives the same
 * resources in the same order (sorted by name), so content hashes are stable.
 */

import type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration, Secret } from '@strait/proto/envoy';
import { generateAdminCluster } from './admin-cluster.js';
import { generateClusterLoadAssignment } from './endpoints.js';
import { generateInboundFilterChains, generateInboundListener, inboundChainsInput } from './inbound-listener.js';
import { generateLocalCluster } from './local-cluster.js';
import { generateOutboundCluster } from './outbound-cluster.js';
import { generateOutboundListener } from './outbound-listener.js';
import { generatePrometheusListener } from './prometheus-listener.js';
import type { ProxyContext } from './proxy-context.js';
import { beginProxyGeneration, type ProxyMemo, reused } from './proxy-memo.js';
import { generateSecret, generateSecrets } from './secrets.js';

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
 * Remembers resources that do not depend on the individual proxy so that proxies generated
 * from the same mesh inputs share one object each: generated once, hashed once by the snapshot
 * cache. Whoever holds it must drop it when the mesh inputs change (the reconciler keeps one per
 * mesh context), except as {@link memoAfterInboundPolicyChange} allows.
 */
export interface GenerationMemo {
  /** Outbound listeners and clusters, endpoints, local and admin clusters: no policy reads them. */
  readonly resources: Map<string, unknown>;
  /** Filter chains of inbound listeners: they render the inbounds' permissions. */
  readonly inboundChains: Map<string, unknown>;
}

/** Creates an empty {@link GenerationMemo}. */
export function createGenerationMemo(): GenerationMemo {
  return { resources: new Map(), inboundChains: new Map() };
}

/**
 * Policy types that only inbound listeners read (as `Inbound.permissions`). When mesh inputs
 * differ from earlier ones only in policies of these types, every resource in the
 * `resources` part of the earlier memo is still what generation would make.
 */
export const INBOUND_ONLY_POLICY_TYPES: ReadonlySet<string> = new Set(['MeshTrafficPermission']);

/**
 * The memo for mesh inputs that differ from those of `memo` only in policies of
 * {@link INBOUND_ONLY_POLICY_TYPES}: it keeps `memo`'s proxy-independent resources, so proxies
 * get the very same objects again (which the snapshot cache recognises without repacking), and
 * starts the inbound filter chains afresh.
 */
export function memoAfterInboundPolicyChange(memo: GenerationMemo): GenerationMemo {
  return { resources: memo.resources, inboundChains: new Map() };
}

function memoized<T>(memo: Map<string, unknown> | undefined, key: string, make: () => T): T {
  if (memo === undefined) return make();
  const hit = memo.get(key);
  if (hit !== undefined) return hit as T;
  const made = make();
  memo.set(key, made);
  return made;
}

/**
 * The memo of resources that also depend on `scope` (a string of their other inputs): nested
 * so that a long scope is hashed once per proxy, not once per lookup.
 */
function scoped(memo: Map<string, unknown> | undefined, scope: string): Map<string, unknown> | undefined {
  if (memo === undefined) return undefined;
  return memoized(memo, `scope|${scope}`, () => new Map<string, unknown>());
}

/**
 * Generates every Envoy resource of one proxy. With a `memo`, the proxy-independent parts are
 * shared with other proxies of the same mesh inputs; with the proxy's own `proxyMemo`, its own
 * resources whose inputs did not change since its previous generation are handed back as the
 * same objects. The output is the same either way.
 */
export function generateProxyResources(
  ctx: ProxyContext,
  memo?: GenerationMemo,
  proxyMemo?: ProxyMemo,
): ProxyResources {
  const { inbounds, outbounds, address } = ctx.dataplane;
  const { metricsPort, metricsPath } = ctx;
  if (proxyMemo !== undefined) beginProxyGeneration(proxyMemo);
  // Everything in the context that the proxy-independent generators read, besides their own argument.
  const resources = memo?.resources;
  const shared = scoped(
    resources,
    `${ctx.mesh.name}|${JSON.stringify(ctx.mesh.mtls ?? null)}|${ctx.identity?.certSecretName ?? ''}|${ctx.identity?.caSecretName ?? ''}|${ctx.zone}`,
  );
  const listeners = [
    ...inbounds.map((inbound, index) => {
      // The input's JSON identifies the chains: the listener adds its address, port and mTLS mode.
      const input = inboundChainsInput(ctx, inbound);
      const chainsKey = JSON.stringify(input);
      return reused(proxyMemo, `inbound|${index}`, [chainsKey, address, inbound.port], () =>
        generateInboundListener(
          ctx,
          inbound,
          memoized(memo?.inboundChains, chainsKey, () => generateInboundFilterChains(input)),
        ),
      );
    }),
    ...outbounds.map((o) =>
      memoized(resources, `ol|${o.address ?? ''}|${o.port}|${o.service}|${o.protocol}`, () =>
        generateOutboundListener(o),
      ),
    ),
    ...(metricsPort === undefined
      ? []
      : [
          reused(proxyMemo, 'prometheus', [address, metricsPort, metricsPath], () =>
            generatePrometheusListener({
              address,
              port: metricsPort,
              ...(metricsPath === undefined ? {} : { path: metricsPath }),
            }),
          ),
        ]),
  ];
  const clusters = [
    ...inbounds.map((i) =>
      memoized(resources, `lc|${i.servicePort}|${i.serviceAddress ?? ''}|${i.protocol}|${i.service}`, () =>
        generateLocalCluster(i),
      ),
    ),
    ...outbounds.map((o) => memoized(shared, `oc|${o.service}|${o.protocol}`, () => generateOutboundCluster(ctx, o))),
    memoized(resources, `admin|${ctx.adminPort}`, () => generateAdminCluster(ctx.adminPort)),
  ];
  const services = [...new Set(outbounds.map((o) => o.service))].sort();
  return {
    listeners: uniqueByName(listeners),
    clusters: uniqueByName(clusters),
    endpoints: services.map((service) =>
      memoized(shared, `eds|${service}`, () => generateClusterLoadAssignment(ctx, service)),
    ),
    routes: [],
    secrets: generateSecrets(ctx.secrets ?? [], (secret) =>
      reused(proxyMemo, `secret|${secret.name}`, [secret.certPem, secret.keyPem, secret.caPem], () =>
        generateSecret(secret),
      ),
    ),
  };
}
