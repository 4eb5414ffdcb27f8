/**
 * What a cluster makes Envoy subscribe to next: its endpoints (EDS) and the SDS secrets its
 * upstream TLS context names. A fake proxy follows these like Envoy does, so the CP serves the
 * same types in the same order as to a real fleet (and holds LDS back until they are ACKed).
 */

import { fromBinary } from '@bufbuild/protobuf';
import { type Any, anyUnpack } from '@bufbuild/protobuf/wkt';
import { Cluster_DiscoveryType, ClusterSchema, UpstreamTlsContextSchema } from '@strait/proto/envoy';

/** Subscriptions one cluster implies. */
export interface ClusterDependencies {
  /** The EDS resource name, for an EDS cluster. */
  readonly eds?: string;
  /** Names of SDS secrets (identity certificate, validation context). */
  readonly secrets: readonly string[];
}

/** Decodes a packed Cluster and lists what it depends on. */
export function clusterDependencies(packed: Any): ClusterDependencies {
  const cluster = fromBinary(ClusterSchema, packed.value);
  const secrets: string[] = [];
  const socket = cluster.transportSocket?.configType;
  if (socket?.case === 'typedConfig') {
    const tls = anyUnpack(socket.value, UpstreamTlsContextSchema);
    const common = tls?.commonTlsContext;
    for (const config of common?.tlsCertificateSdsSecretConfigs ?? []) secrets.push(config.name);
    const validation = common?.validationContextType;
    if (validation?.case === 'combinedValidationContext') {
      const name = validation.value.validationContextSdsSecretConfig?.name;
      if (name !== undefined) secrets.push(name);
    } else if (validation?.case === 'validationContextSdsSecretConfig') {
      secrets.push(validation.value.name);
    }
  }
  const isEds =
    cluster.clusterDiscoveryType.case === 'type' && cluster.clusterDiscoveryType.value === Cluster_DiscoveryType.EDS;
  if (!isEds) return { secrets };
  return { eds: cluster.edsClusterConfig?.serviceName || cluster.name, secrets };
}
