/** Which zone a ZoneIngress serves. */

import { type Resource, ZONE_TAG, type ZoneIngressSpec } from '@strait/shared';

/**
 * The zone a ZoneIngress serves: `spec.zone` (the zone CP sets it at registration), else the
 * `kuma.io/zone` label KDS puts on synced copies; undefined when neither says.
 */
export function ingressZoneOf(ingress: Resource): string | undefined {
  const zone = (ingress.spec as ZoneIngressSpec).zone ?? ingress.meta.labels[ZONE_TAG];
  return zone === undefined || zone === '' ? undefined : zone;
}
