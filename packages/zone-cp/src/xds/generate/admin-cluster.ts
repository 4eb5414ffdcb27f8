/** The static cluster pointing at the proxy's own Envoy admin API on loopback (for metrics). */

import type { Cluster } from '@strait/proto/envoy';
import { staticCluster } from './envoy-parts.js';
import { ADMIN_CLUSTER_NAME, statPrefix } from './names.js';

/** Connect timeout to the admin API (Kuma's). */
export const ADMIN_CONNECT_TIMEOUT_MS = 5_000;

/** The `kuma:envoy:admin` cluster at `127.0.0.1:<adminPort>`. */
export function generateAdminCluster(adminPort: number): Cluster {
  return staticCluster({
    name: ADMIN_CLUSTER_NAME,
    altStatName: statPrefix(ADMIN_CLUSTER_NAME),
    address: '127.0.0.1',
    port: adminPort,
    connectTimeoutMs: ADMIN_CONNECT_TIMEOUT_MS,
    protocol: 'http',
  });
}
