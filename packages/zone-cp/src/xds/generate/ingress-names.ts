/**
 * Names of a zone ingress's Envoy resources. Each routed SNI gets one filter chain, one EDS
 * cluster and one ClusterLoadAssignment, all named by the SNI itself: it already encodes mesh,
 * service and tags, so names are unique across meshes and say what they route.
 */

import { serviceSni } from '@strait/shared';
import type { IngressTarget } from './ingress-context.js';
import { statPrefix } from './names.js';

/** The SNI a target is reached by (Kuma's `service{mesh=m,k=v}`), also its cluster's name. */
export function ingressTargetSni(target: Pick<IngressTarget, 'mesh' | 'tags'>): string {
  return serviceSni(target.mesh, target.tags);
}

/** The ingress listener: `inbound:<address>:<port>`, as Kuma names it. */
export function ingressListenerName(address: string, port: number): string {
  return `inbound:${address}:${port}`;
}

/**
 * The stat prefix of a target's TCP proxy and cluster: the SNI with everything Envoy stats and
 * Prometheus dislike replaced, e.g. `tcp.ingress_backend_mesh_default_.downstream_cx_total`.
 */
export function ingressStatPrefix(sni: string): string {
  return `ingress_${statPrefix(sni)}`;
}
