/**
 * What the reconciler tests share (not exported from the package): a Dataplane with one inbound,
 * a reconciler running over a memory store with a real snapshot cache and mesh CA, and readers
 * of what it put in a proxy's snapshot.
 */

import { anyUnpack } from '@bufbuild/protobuf/wkt';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, type ClusterLoadAssignment, envoyRegistry } from '@strait/proto/envoy';
import {
  builtinRegistry,
  createMemoryStore,
  createMeshCaManager,
  type ResourceInput,
  type ResourceStore,
  silentLogger,
} from '@strait/shared';
import { createSnapshotCache, type SnapshotCache } from '../cache/index.js';
import { createProxyCertManager } from '../certs/proxy-cert-manager.js';
import { createXdsReconciler, type XdsReconciler, type XdsReconcilerOptions } from './xds-reconciler.js';

/** Mesh `default` with builtin-CA mTLS. */
export const MTLS_MESH: ResourceInput = {
  type: 'Mesh',
  name: 'default',
  spec: { mtls: { enabledBackend: 'ca-1', backends: [{ name: 'ca-1', type: 'builtin' }] } },
};

/** A Dataplane of mesh `default` on 127.0.0.1: one inbound of `service` (with `tags`), and an outbound to `outbound`. */
export function testDataplane(
  name: string,
  service: string,
  port: number,
  options: { readonly outbound?: string; readonly tags?: Readonly<Record<string, string>> } = {},
): ResourceInput {
  const { outbound, tags = {} } = options;
  return {
    type: 'Dataplane',
    mesh: 'default',
    name,
    spec: {
      networking: {
        address: '127.0.0.1',
        inbound: [{ port, servicePort: port + 1, tags: { ...tags, 'kuma.io/service': service } }],
        ...(outbound === undefined ? {} : { outbound: [{ port: 15_000, tags: { 'kuma.io/service': outbound } }] }),
      },
    },
  };
}

/** A started reconciler and what it works on. */
export interface ReconcilerRig {
  readonly store: ResourceStore;
  readonly cache: SnapshotCache;
  readonly xds: XdsReconciler;
  /** Stops the reconciler and the mesh CA. */
  stop(): Promise<void>;
}

/**
 * Creates `seed` in a memory store, then starts a reconciler of zone `zone-1` over it (5 ms
 * debounce); `options` override the reconciler's.
 */
export async function startReconcilerRig(
  seed: readonly ResourceInput[],
  options: Partial<XdsReconcilerOptions> = {},
): Promise<ReconcilerRig> {
  const store = createMemoryStore();
  for (const resource of seed) await store.create(resource);
  const cache = createSnapshotCache();
  const ca = createMeshCaManager({ store, logger: silentLogger(), caValidForMs: 3_600_000 });
  const certs = createProxyCertManager({ caManager: ca, logger: silentLogger(), defaultValidForMs: 3_600_000 });
  const xds = createXdsReconciler({
    store,
    registry: builtinRegistry,
    cache,
    certs,
    logger: silentLogger(),
    zone: 'zone-1',
    debounceMs: 5,
    maxDelayMs: 50,
    ...options,
  });
  await xds.start(new AbortController().signal);
  return {
    store,
    cache,
    xds,
    async stop() {
      await xds.stop();
      ca.close();
    },
  };
}

/** The resources of one type in a proxy's snapshot, unpacked. */
export function snapshotResources<T>(cache: SnapshotCache, proxyId: string, typeUrl: string): T[] {
  const set = cache.get(proxyId)?.types.get(typeUrl);
  return [...(set?.resources.values() ?? [])].map((r) => anyUnpack(r.resource, envoyRegistry) as T);
}

/** The ports of the endpoints the proxy gets over EDS for `cluster`, sorted. */
export function endpointPorts(cache: SnapshotCache, proxyId: string, cluster: string): number[] {
  return snapshotResources<ClusterLoadAssignment>(cache, proxyId, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL)
    .filter((c) => c.clusterName === cluster)
    .flatMap((c) => c.endpoints.flatMap((l) => l.lbEndpoints))
    .map((e) => (e.hostIdentifier.case === 'endpoint' ? e.hostIdentifier.value.address : undefined))
    .map((a) =>
      a?.address.case === 'socketAddress' && a.address.value.portSpecifier.case === 'portValue'
        ? a.address.value.portSpecifier.value
        : 0,
    )
    .sort();
}
