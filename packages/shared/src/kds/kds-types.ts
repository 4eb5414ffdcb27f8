/**
 * Which resource types travel which way, from the descriptors' `kds` field, in the order a
 * receiver must apply them: global-scoped types (Mesh, GlobalSecret, …) before mesh-scoped ones,
 * because a mesh-scoped resource cannot be stored before its Mesh.
 */

import type { ResourceDescriptor } from '../model/descriptor.js';
import type { ResourceRegistry } from '../model/registry.js';

/**
 * Zone-to-global types the global also hands to every *other* zone (Kuma's
 * `GlobalToAllButOriginalZoneFlag`): a zone needs the other zones' ingresses to reach their
 * services. Both sides must agree on the list; it is an option of the server and the client,
 * and this is its default.
 */
export const DEFAULT_REDISTRIBUTED_TYPES: readonly string[] = Object.freeze(['ZoneIngress']);

/** Global-scoped types first, then mesh-scoped ones, each group in registration order. */
export function inApplyOrder(descriptors: readonly ResourceDescriptor[]): readonly ResourceDescriptor[] {
  const globalScoped = descriptors.filter((d) => d.scope === 'global');
  const meshScoped = descriptors.filter((d) => d.scope !== 'global');
  return Object.freeze([...globalScoped, ...meshScoped]);
}

/** Types the global sends a zone: `global-to-zone` and `both`, plus the redistributed ones. */
export function globalToZoneTypes(
  registry: ResourceRegistry,
  redistributed: readonly string[] = DEFAULT_REDISTRIBUTED_TYPES,
): readonly ResourceDescriptor[] {
  return inApplyOrder(
    registry.all().filter((d) => d.kds === 'global-to-zone' || d.kds === 'both' || redistributed.includes(d.name)),
  );
}

/** Types a zone sends the global: `zone-to-global` and `both`. */
export function zoneToGlobalTypes(registry: ResourceRegistry): readonly ResourceDescriptor[] {
  return inApplyOrder(registry.all().filter((d) => d.kds === 'zone-to-global' || d.kds === 'both'));
}

/** True when a type reaches zones only by redistribution (it originates in zones). */
export function isRedistributedOnly(descriptor: ResourceDescriptor): boolean {
  return descriptor.kds === 'zone-to-global';
}
