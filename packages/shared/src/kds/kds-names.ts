/**
 * Names and labels of resources on the KDS wire. `Resource.name` (and every entry of
 * `removed_resources` and `initial_resource_versions`) is the key the *receiver* stores the
 * resource under: `<mesh>/<name>` for mesh-scoped types, `<name>` for global-scoped ones. The
 * sender renames (see the flows); the receiver stores what it is given after checking it.
 */

import type { ResourceDescriptor } from '../model/descriptor.js';
import type { ResourceKey } from '../model/resource.js';

/** `kuma.io/origin` of a copy the global sent down (also of another zone's resource relayed by the global). */
export const ORIGIN_GLOBAL = 'global';
/** `kuma.io/origin` of a zone's resource, in the zone and as synced up to the global. */
export const ORIGIN_ZONE = 'zone';

/** The wire name of a resource: `<mesh>/<name>` or `<name>`. */
export function kdsWireName(mesh: string | undefined, name: string): string {
  return mesh === undefined ? name : `${mesh}/${name}`;
}

/** The store key a wire name stands for, or undefined when it does not fit the type's scope. */
export function keyOfWireName(descriptor: ResourceDescriptor, wireName: string): ResourceKey | undefined {
  if (descriptor.scope === 'global') {
    return wireName === '' || wireName.includes('/') ? undefined : { type: descriptor.name, name: wireName };
  }
  const slash = wireName.indexOf('/');
  if (slash <= 0 || slash === wireName.length - 1) return undefined;
  const name = wireName.slice(slash + 1);
  if (name.includes('/')) return undefined;
  return { type: descriptor.name, mesh: wireName.slice(0, slash), name };
}
