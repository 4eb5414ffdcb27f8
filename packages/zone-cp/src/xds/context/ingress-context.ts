/**
 * Builds a zone ingress's generator input: where its ZoneIngress says it listens, and per SNI
 * it routes, the local instances behind it. Targets are each (mesh, service) — what other
 * zones' sidecars dial (`backend{mesh=default}`) — and each (mesh, full tag set) of the
 * ingress's `availableServices` grouping, for callers that name a subset.
 */

import { parseServiceSni, type Resource, SERVICE_TAG, type ZoneIngressSpec } from '@strait/shared';
import { type LocalInstance, localInstances, tagSetKey } from '../../ingress/local-instances.js';
import type { Endpoint, IngressContext, IngressTarget } from '../generate/index.js';
import { ingressTargetSni } from '../generate/index.js';

/** Inputs of {@link buildIngressContext} besides the resources. */
export interface IngressContextOptions {
  /** This CP's zone (the endpoints' locality). */
  readonly zone: string;
  /** Whether a Dataplane's proxy is known to be disconnected from this CP. */
  readonly isOffline: (mesh: string, name: string) => boolean;
}

/** Where an ingress listens when its ZoneIngress names no address. */
const ANY_ADDRESS = '0.0.0.0';

function endpointOf(instance: LocalInstance, zone: string): Endpoint {
  return { address: instance.address, port: instance.port, tags: instance.tags, zone };
}

/** Adds `instance` to the target of (`mesh`, `tags`), keyed by SNI. */
function add(targets: Map<string, IngressTarget>, tags: Record<string, string>, instance: LocalInstance, zone: string) {
  const sni = ingressTargetSni({ mesh: instance.mesh, tags });
  // A tag value with `{`, `}`, `,` or `=` gives an SNI no caller can name unambiguously: skip it.
  if (parseServiceSni(sni) === undefined) return;
  const target = targets.get(sni);
  const endpoint = endpointOf(instance, zone);
  if (target === undefined) targets.set(sni, { mesh: instance.mesh, tags, endpoints: [endpoint] });
  else (target.endpoints as Endpoint[]).push(endpoint);
}

/** The ingress's context from its ZoneIngress and this zone's Dataplanes (every mesh). Pure. */
export function buildIngressContext(
  ingress: Resource,
  dataplanes: readonly Resource[],
  options: IngressContextOptions,
): IngressContext {
  const spec = ingress.spec as ZoneIngressSpec;
  const targets = new Map<string, IngressTarget>();
  for (const instance of localInstances(dataplanes, options)) {
    const service = instance.tags[SERVICE_TAG] as string;
    add(targets, { [SERVICE_TAG]: service }, instance, options.zone);
    const full = { ...instance.tags };
    if (tagSetKey(full) !== tagSetKey({ [SERVICE_TAG]: service })) add(targets, full, instance, options.zone);
  }
  return {
    name: ingress.meta.name,
    zone: options.zone,
    address: spec.networking.address ?? ANY_ADDRESS,
    port: spec.networking.port,
    targets: [...targets.keys()].sort().map((sni) => targets.get(sni) as IngressTarget),
  };
}
