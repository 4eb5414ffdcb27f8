/**
 * The cluster of a consumed service: endpoints over EDS on the ADS stream, HTTP/2 upstream for
 * http2 and gRPC, and with mesh mTLS a client TLS context that presents the proxy's identity and
 * accepts only the service's SPIFFE ID, sending the service's SNI so that the endpoints behind
 * another zone's ingress are reached the same way as local ones.
 */

import { create } from '@bufbuild/protobuf';
import { type Cluster, Cluster_DiscoveryType, ClusterSchema } from '@strait/proto/envoy';
import { adsConfigSource, durationMs, http2ProtocolOptions, isHttp2, passiveHealthChecking } from './envoy-parts.js';
import { outboundClusterName } from './names.js';
import type { Outbound, ProxyContext } from './proxy-context.js';
import { outboundTlsTransportSocket } from './tls-context.js';

/** Connect timeout to a service's endpoints (Kuma's MeshTimeout default). */
export const OUTBOUND_CONNECT_TIMEOUT_MS = 5_000;

/** The EDS cluster of one consumed service. */
export function generateOutboundCluster(ctx: ProxyContext, outbound: Pick<Outbound, 'service' | 'protocol'>): Cluster {
  const name = outboundClusterName(outbound.service);
  return create(ClusterSchema, {
    name,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.EDS },
    edsClusterConfig: { edsConfig: adsConfigSource() },
    connectTimeout: durationMs(OUTBOUND_CONNECT_TIMEOUT_MS),
    ...passiveHealthChecking(),
    typedExtensionProtocolOptions: isHttp2(outbound.protocol) ? http2ProtocolOptions() : {},
    ...(ctx.mesh.mtls === undefined ? {} : { transportSocket: outboundTlsTransportSocket(ctx, outbound.service) }),
  });
}
