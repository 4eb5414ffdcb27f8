/**
 * The cluster of one ingress target: its endpoints over EDS, plain TCP upstream (the bytes are
 * the caller's TLS, passed through), no transport socket of the ingress's own. A local sidecar
 * the ingress cannot connect to is ejected after a few failures, and the ingress's TCP proxy
 * tries another one meanwhile (`INGRESS_CONNECT_ATTEMPTS`), so one dead instance behind the
 * ingress does not fail the callers' connections, and their sidecars do not eject the whole
 * ingress for it.
 */

import { create } from '@bufbuild/protobuf';
import {
  type Cluster,
  Cluster_DiscoveryType,
  type ClusterLoadAssignment,
  ClusterLoadAssignmentSchema,
  ClusterSchema,
} from '@strait/proto/envoy';
import { adsConfigSource, durationMs, passiveHealthChecking, socketAddress } from './envoy-parts.js';
import type { IngressContext, IngressTarget } from './ingress-context.js';
import { ingressStatPrefix, ingressTargetSni } from './ingress-names.js';

/** Connect timeout from the ingress to a local sidecar (Kuma's default for outbound clusters). */
export const INGRESS_CONNECT_TIMEOUT_MS = 5_000;

/** The EDS cluster of one target, named by its SNI. */
export function generateIngressCluster(target: Pick<IngressTarget, 'mesh' | 'tags'>): Cluster {
  const sni = ingressTargetSni(target);
  return create(ClusterSchema, {
    name: sni,
    altStatName: ingressStatPrefix(sni),
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.EDS },
    edsClusterConfig: { edsConfig: adsConfigSource() },
    connectTimeout: durationMs(INGRESS_CONNECT_TIMEOUT_MS),
    ...passiveHealthChecking(),
  });
}

/** The endpoints of one target, all in the ingress's own zone, sorted by address. */
export function generateIngressLoadAssignment(ctx: IngressContext, target: IngressTarget): ClusterLoadAssignment {
  const endpoints = [...target.endpoints].sort((a, b) =>
    a.address < b.address ? -1 : a.address > b.address ? 1 : a.port - b.port,
  );
  return create(ClusterLoadAssignmentSchema, {
    clusterName: ingressTargetSni(target),
    endpoints:
      endpoints.length === 0
        ? []
        : [
            {
              locality: { zone: ctx.zone },
              lbEndpoints: endpoints.map((e) => ({
                hostIdentifier: { case: 'endpoint' as const, value: { address: socketAddress(e.address, e.port) } },
                loadBalancingWeight: 1,
              })),
            },
          ],
  });
}
