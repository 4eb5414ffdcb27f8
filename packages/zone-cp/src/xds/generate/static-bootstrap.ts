/**
 * A proxy's generated resources as a static Envoy bootstrap: EDS clusters become STATIC ones
 * carrying their ClusterLoadAssignment inline, and SDS references point at static secrets. For
 * checking generated config with `envoy --mode validate` and running it without a control plane;
 * the zone CP itself serves the resources over ADS.
 */

import { clone, create, isMessage } from '@bufbuild/protobuf';
import { type Any, anyPack, anyUnpack } from '@bufbuild/protobuf/wkt';
import {
  type Bootstrap,
  BootstrapSchema,
  type Cluster,
  Cluster_DiscoveryType,
  ClusterLoadAssignmentSchema,
  ClusterSchema,
  type CommonTlsContext,
  DownstreamTlsContextSchema,
  envoyRegistry,
  type Listener,
  ListenerSchema,
  type TransportSocket,
  UpstreamTlsContextSchema,
} from '@strait/proto/envoy';
import { socketAddress } from './envoy-parts.js';
import type { ProxyResources } from './generate-proxy.js';

/** Options of {@link toStaticBootstrap}. */
export interface StaticBootstrapOptions {
  readonly nodeId: string;
  /** Where the admin API listens on loopback; 0 lets the kernel pick. */
  readonly adminPort: number;
}

/** SDS references without a config source name static secrets. */
function withStaticSecrets(common: CommonTlsContext | undefined): void {
  if (common === undefined) return;
  for (const sds of common.tlsCertificateSdsSecretConfigs) sds.sdsConfig = undefined;
  const validation = common.validationContextType;
  if (validation.case === 'combinedValidationContext') {
    const sds = validation.value.validationContextSdsSecretConfig;
    if (sds !== undefined) sds.sdsConfig = undefined;
  }
  if (validation.case === 'validationContextSdsSecretConfig') validation.value.sdsConfig = undefined;
}

function staticTlsConfig(config: Any): Any {
  const tls = anyUnpack(config, envoyRegistry);
  if (isMessage(tls, DownstreamTlsContextSchema)) {
    withStaticSecrets(tls.commonTlsContext);
    return anyPack(DownstreamTlsContextSchema, tls);
  }
  if (isMessage(tls, UpstreamTlsContextSchema)) {
    withStaticSecrets(tls.commonTlsContext);
    return anyPack(UpstreamTlsContextSchema, tls);
  }
  return config;
}

function staticTransportSocket(socket: TransportSocket | undefined): void {
  if (socket?.configType.case === 'typedConfig') socket.configType.value = staticTlsConfig(socket.configType.value);
}

function staticListener(listener: Listener): Listener {
  const copy = clone(ListenerSchema, listener);
  for (const chain of copy.filterChains) staticTransportSocket(chain.transportSocket);
  return copy;
}

function staticCluster(cluster: Cluster, resources: ProxyResources): Cluster {
  const copy = clone(ClusterSchema, cluster);
  staticTransportSocket(copy.transportSocket);
  if (copy.clusterDiscoveryType.case === 'type' && copy.clusterDiscoveryType.value === Cluster_DiscoveryType.EDS) {
    const assignment = resources.endpoints.find((e) => e.clusterName === cluster.name);
    copy.clusterDiscoveryType = { case: 'type', value: Cluster_DiscoveryType.STATIC };
    copy.edsClusterConfig = undefined;
    copy.loadAssignment =
      assignment === undefined
        ? create(ClusterLoadAssignmentSchema, { clusterName: cluster.name })
        : clone(ClusterLoadAssignmentSchema, assignment);
  }
  return copy;
}

/** The static bootstrap equivalent of `resources` (which are not modified). */
export function toStaticBootstrap(resources: ProxyResources, options: StaticBootstrapOptions): Bootstrap {
  return create(BootstrapSchema, {
    node: { id: options.nodeId, cluster: options.nodeId },
    admin: { address: socketAddress('127.0.0.1', options.adminPort) },
    staticResources: {
      listeners: resources.listeners.map(staticListener),
      clusters: resources.clusters.map((c) => staticCluster(c, resources)),
      secrets: resources.secrets,
    },
  });
}
