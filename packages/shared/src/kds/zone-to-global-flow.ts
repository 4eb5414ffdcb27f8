/**
 * Zone → global: what a zone sends up, and how the global checks it (the global never trusts a
 * zone: the zone's identity comes from its token, never from the messages).
 *
 * Sent: every resource of a `zone-to-global`/`both` type created in the zone — not the copies
 * the global sent down (`kuma.io/origin: global`).
 *
 * Names and labels, as Kuma (`HashSuffixMapper` on the zone side of KDS):
 * - labels: the resource's own, plus `kuma.io/origin: zone`, `kuma.io/zone: <zone>` and
 *   `kuma.io/display-name: <name in the zone>`;
 * - name: `<name>-<hash(mesh, name, zone)>` (mesh empty for global-scoped types), so resources of
 *   the same name in different zones never collide on the global.
 *
 * On the global every copy is owned by the zone's Zone resource, so deleting the Zone deletes
 * everything the zone synced up. The global accepts a resource only when its `kuma.io/zone` is
 * the authenticated zone and its name is exactly the hash the zone must have computed: a zone
 * cannot write, replace or delete anything but its own copies.
 */

import type { ResourceRegistry } from '../model/registry.js';
import type { Resource, ResourceInput } from '../model/resource.js';
import { DISPLAY_NAME_LABEL, ORIGIN_LABEL } from '../policies/policy-spec.js';
import { ZONE_TAG } from '../resources/common/tags.js';
import { zoneDescriptor } from '../resources/zone.js';
import { type KdsReceiveFlow, type KdsSendFlow, type MappedResource, mappedResource } from './kds-flow.js';
import { kdsHashedName } from './kds-hashed-name.js';
import { ORIGIN_GLOBAL, ORIGIN_ZONE } from './kds-names.js';
import { zoneToGlobalTypes } from './kds-types.js';

/** What both halves of the zone → global direction need to agree on. */
export interface ZoneToGlobalFlowOptions {
  readonly registry: ResourceRegistry;
  /** The zone the resources come from (on the global: the authenticated zone). */
  readonly zone: string;
}

/** The zone's side: what it sends the global. */
export function zoneToGlobalSendFlow(options: ZoneToGlobalFlowOptions): KdsSendFlow {
  const { registry, zone } = options;
  const types = zoneToGlobalTypes(registry);
  const names = new Set(types.map((d) => d.name));
  return Object.freeze({
    direction: 'zone-to-global' as const,
    types,
    select: (resource: Resource) => names.has(resource.type) && resource.meta.labels[ORIGIN_LABEL] !== ORIGIN_GLOBAL,
    map(resource: Resource): MappedResource {
      // The name in the zone, not a display-name label: it is unique, so hashed names are too.
      const name = resource.meta.name;
      return mappedResource(resource, kdsHashedName(resource.meta.mesh ?? '', name, zone), {
        ...resource.meta.labels,
        [ORIGIN_LABEL]: ORIGIN_ZONE,
        [ZONE_TAG]: zone,
        [DISPLAY_NAME_LABEL]: name,
      });
    },
  });
}

/** The global's side: what it accepts from `zone`, and which of its resources are that zone's copies. */
export function zoneToGlobalReceiveFlow(options: ZoneToGlobalFlowOptions): KdsReceiveFlow {
  const { registry, zone } = options;
  const owner = Object.freeze({ type: zoneDescriptor.name, name: zone });
  return Object.freeze({
    direction: 'zone-to-global' as const,
    types: zoneToGlobalTypes(registry),
    heldLabels: Object.freeze({ [ORIGIN_LABEL]: ORIGIN_ZONE, [ZONE_TAG]: zone }),
    holds: (existing: Resource) =>
      existing.meta.labels[ZONE_TAG] === zone &&
      existing.meta.owner?.type === owner.type &&
      existing.meta.owner.name === zone,
    check(input: ResourceInput): readonly string[] {
      const labels = input.labels ?? {};
      const reasons: string[] = [];
      if (labels[ORIGIN_LABEL] !== ORIGIN_ZONE) reasons.push(`must carry label ${ORIGIN_LABEL}: ${ORIGIN_ZONE}`);
      const claimed = labels[ZONE_TAG];
      if (claimed !== zone) {
        reasons.push(
          claimed === undefined
            ? `must carry label ${ZONE_TAG}: ${zone}`
            : `claims ${ZONE_TAG}: ${claimed}, but the stream is authenticated as zone ${zone}`,
        );
      }
      const displayName = labels[DISPLAY_NAME_LABEL];
      if (displayName === undefined || displayName === '') {
        reasons.push(`must carry label ${DISPLAY_NAME_LABEL}`);
      } else if (claimed === zone) {
        const expected = kdsHashedName(input.mesh ?? '', displayName, zone);
        if (input.name !== expected) reasons.push(`name must be ${expected} (hash of mesh, display name and zone)`);
      }
      return reasons;
    },
    toStored: (input: ResourceInput) => ({ ...input, owner }),
  });
}
