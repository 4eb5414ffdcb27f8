/**
 * A zone ingress's whole Envoy configuration from its {@link IngressContext}: the SNI
 * passthrough listener, and per routed SNI an EDS cluster and its endpoints. Pure and
 * deterministic (targets in SNI order), so content hashes are stable.
 */

import type { ProxyResources } from './generate-proxy.js';
import { generateIngressCluster, generateIngressLoadAssignment } from './ingress-cluster.js';
import type { IngressContext, IngressTarget } from './ingress-context.js';
import { generateIngressListener } from './ingress-listener.js';
import { ingressTargetSni } from './ingress-names.js';

/** Generates every Envoy resource of one zone ingress. */
export function generateIngressResources(ctx: IngressContext): ProxyResources {
  // One target per SNI (the first wins): Envoy refuses two filter chains with one match.
  const bySni = new Map<string, IngressTarget>();
  for (const target of ctx.targets) {
    const sni = ingressTargetSni(target);
    if (!bySni.has(sni)) bySni.set(sni, target);
  }
  const targets = [...bySni.keys()].sort().map((sni) => bySni.get(sni) as IngressTarget);
  const sorted = { ...ctx, targets };
  const listener = generateIngressListener(sorted);
  return {
    listeners: listener === undefined ? [] : [listener],
    clusters: targets.map(generateIngressCluster),
    endpoints: targets.map((t) => generateIngressLoadAssignment(sorted, t)),
    routes: [],
    secrets: [],
  };
}
