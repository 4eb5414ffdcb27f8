/**
 * Global → zone: what the global sends one zone, and how the zone checks it.
 *
 * Sent: every resource of a `global-to-zone`/`both` type, plus the redistributed types' copies
 * synced up by *other* zones (ZoneIngress by default) — never a resource whose `kuma.io/zone`
 * is the receiving zone: a zone never gets its own resources back.
 *
 * Names and labels, as Kuma (`HashSuffixMapper` on the global side of KDS):
 * - labels: the resource's own, plus `kuma.io/origin: global` and `kuma.io/display-name` (the
 *   user-facing name: the resource's own display name when it already has one, else its name);
 *   `kuma.io/zone` stays on a zone-originated resource relayed to other zones;
 * - name: policies are hash-suffixed, `<display name>-<hash(mesh, display name[, origin zone])>`,
 *   so policies of the same name in different meshes (or zones) never collide in a zone;
 *   other types (Mesh, Secret, GlobalSecret, relayed ZoneIngresses, …) keep their name — zones
 *   reference secrets and meshes by name.
 */

import type { ResourceRegistry } from '../model/registry.js';
import type { Resource, ResourceInput } from '../model/resource.js';
import { DISPLAY_NAME_LABEL, ORIGIN_LABEL } from '../policies/policy-spec.js';
import { ZONE_TAG } from '../resources/common/tags.js';
import { type KdsReceiveFlow, type KdsSendFlow, type MappedResource, mappedResource } from './kds-flow.js';
import { kdsHashedName } from './kds-hashed-name.js';
import { ORIGIN_GLOBAL, ORIGIN_ZONE } from './kds-names.js';
import { DEFAULT_REDISTRIBUTED_TYPES, globalToZoneTypes, isRedistributedOnly } from './kds-types.js';

/** What both halves of the global → zone direction need to agree on. */
export interface GlobalToZoneFlowOptions {
  readonly registry: ResourceRegistry;
  /** The zone on the other end (the receiving zone). */
  readonly zone: string;
  /** Zone-to-global types relayed to the other zones; default {@link DEFAULT_REDISTRIBUTED_TYPES}. */
  readonly redistributedTypes?: readonly string[];
}

/** The global's side: what it sends `zone`. */
export function globalToZoneSendFlow(options: GlobalToZoneFlowOptions): KdsSendFlow {
  const { registry, zone } = options;
  const types = globalToZoneTypes(registry, options.redistributedTypes ?? DEFAULT_REDISTRIBUTED_TYPES);
  const byName = new Map(types.map((d) => [d.name, d]));
  return Object.freeze({
    direction: 'global-to-zone' as const,
    types,
    select(resource: Resource): boolean {
      const descriptor = byName.get(resource.type);
      if (descriptor === undefined) return false;
      const origin = resource.meta.labels[ZONE_TAG];
      if (origin === zone) return false;
      // A relayed type only ever flows down as another zone's copy.
      return (
        !isRedistributedOnly(descriptor) || (origin !== undefined && resource.meta.labels[ORIGIN_LABEL] === ORIGIN_ZONE)
      );
    },
    map(resource: Resource): MappedResource {
      const descriptor = registry.require(resource.type);
      const displayName = resource.meta.labels[DISPLAY_NAME_LABEL] ?? resource.meta.name;
      const originZone = resource.meta.labels[ZONE_TAG];
      const name = descriptor.isPolicy
        ? kdsHashedName(resource.meta.mesh ?? '', displayName, ...(originZone === undefined ? [] : [originZone]))
        : resource.meta.name;
      return mappedResource(resource, name, {
        ...resource.meta.labels,
        [ORIGIN_LABEL]: ORIGIN_GLOBAL,
        [DISPLAY_NAME_LABEL]: displayName,
      });
    },
  });
}

/** The zone's side: what it accepts from the global and which of its resources are the global's copies. */
export function globalToZoneReceiveFlow(options: GlobalToZoneFlowOptions): KdsReceiveFlow {
  const { registry, zone } = options;
  const types = globalToZoneTypes(registry, options.redistributedTypes ?? DEFAULT_REDISTRIBUTED_TYPES);
  return Object.freeze({
    direction: 'global-to-zone' as const,
    types,
    heldLabels: Object.freeze({ [ORIGIN_LABEL]: ORIGIN_GLOBAL }),
    // The global's copies; plus, for types the global owns on a federated zone (Mesh, Secret,
    // GlobalSecret: `readOnlyOnFederatedZone`), a local leftover from before the zone joined,
    // which the global's version then replaces.
    holds: (existing: Resource) =>
      existing.meta.labels[ORIGIN_LABEL] === ORIGIN_GLOBAL ||
      registry.byName(existing.type)?.readOnlyOnFederatedZone === true,
    check(input: ResourceInput): readonly string[] {
      const labels = input.labels ?? {};
      const reasons: string[] = [];
      if (labels[ORIGIN_LABEL] !== ORIGIN_GLOBAL) {
        reasons.push(`must carry label ${ORIGIN_LABEL}: ${ORIGIN_GLOBAL}`);
      }
      if (labels[ZONE_TAG] === zone) {
        reasons.push(`originated in this zone (${ZONE_TAG}: ${zone}); a zone never takes its own resources back`);
      }
      if (isRedistributedOnly(registry.require(input.type)) && labels[ZONE_TAG] === undefined) {
        reasons.push(`${input.type} reaches a zone only as another zone's copy and must carry label ${ZONE_TAG}`);
      }
      return reasons;
    },
    toStored: (input: ResourceInput) => input,
  });
}
