/** The kinds of proxy a zone control plane bootstraps. */

/** `dataplane` (a sidecar, registered as a Dataplane) or `ingress` (a zone ingress, registered as a ZoneIngress). */
export type ProxyType = 'dataplane' | 'ingress';
