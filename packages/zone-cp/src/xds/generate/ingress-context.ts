/**
 * Everything the zone-ingress generators need, resolved from the store: where the ingress
 * listens and, per SNI it routes, the local endpoints behind it. The generators are pure
 * functions of this value.
 */

import type { Endpoint } from './proxy-context.js';

/**
 * One destination the ingress routes by SNI: a service of a mesh (`tags` holds only
 * `kuma.io/service`) or one tag set of it (the full tags an `availableServices` entry carries).
 * Its SNI is `serviceSni(mesh, tags)`.
 */
export interface IngressTarget {
  readonly mesh: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The instances' inbound listeners (their sidecars terminate the passed-through TLS). */
  readonly endpoints: readonly Endpoint[];
}

/** A zone ingress proxy's generator input. */
export interface IngressContext {
  /** The ZoneIngress's name. */
  readonly name: string;
  /** The zone the ingress serves (the endpoints' locality). */
  readonly zone: string;
  /** Where the ingress listener binds (`networking.address:port`). */
  readonly address: string;
  readonly port: number;
  /** Sorted by SNI, one per SNI. */
  readonly targets: readonly IngressTarget[];
}
