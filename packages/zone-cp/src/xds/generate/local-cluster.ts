/** The static cluster of the local service behind an inbound: `localhost:<servicePort>`. */

import type { Cluster } from '@strait/proto/envoy';
import { staticCluster } from './envoy-parts.js';
import { DEFAULT_SERVICE_ADDRESS, localClusterName, statPrefix } from './names.js';
import type { Inbound } from './proxy-context.js';

/** Connect timeout to the local service (Kuma's default for inbound clusters). */
export const LOCAL_CONNECT_TIMEOUT_MS = 10_000;

/** The cluster an inbound listener forwards to; HTTP/2 to the service when it speaks http2 or gRPC. */
export function generateLocalCluster(inbound: Inbound): Cluster {
  const name = localClusterName(inbound.servicePort);
  return staticCluster({
    name,
    altStatName: statPrefix(name),
    address: inbound.serviceAddress ?? DEFAULT_SERVICE_ADDRESS,
    port: inbound.servicePort,
    connectTimeoutMs: LOCAL_CONNECT_TIMEOUT_MS,
    protocol: inbound.protocol,
  });
}
