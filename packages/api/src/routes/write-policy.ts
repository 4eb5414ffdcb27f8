import type { ResourceDescriptor } from '@strait/shared';
import type { ApiMode } from '../server/api-server-options.js';

/**
 * Why the API refuses writes of a type on this control plane (405), or undefined when it
 * accepts them. Decided once per type at start-up, from the descriptor:
 * - `systemOnly` types are written by the control plane itself (insights);
 * - on a federated zone, `readOnlyOnFederatedZone` types belong to the global;
 * - on a global, types that sync zone→global belong to the zones (as in Kuma, where
 *   Dataplanes cannot be changed on the global).
 */
export function writeRefusal(d: ResourceDescriptor, mode: ApiMode, federated: boolean): string | undefined {
  if (d.systemOnly) {
    return `${d.name} resources are written by the control plane only; they cannot be created, changed or deleted through the API.`;
  }
  if (federated && d.readOnlyOnFederatedZone) {
    return `This zone control plane is federated with a global control plane, which owns ${d.name} resources. Apply the change on the global control plane instead; it syncs down to this zone.`;
  }
  if (mode === 'global' && d.kds === 'zone-to-global') {
    return `On the global control plane ${d.name} resources are read-only: zones own them. Change them on the zone control plane instead.`;
  }
  return undefined;
}
