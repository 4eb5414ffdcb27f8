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
 *
 * Withheld: what originated in a disabled zone (`withheldZones`), until it is enabled again;
 * and private token signing keys, which go down as their public keys (`publicTokenMaterial`):
 * a zone verifies the global's tokens but cannot issue them. A zone refuses a private signing
 * key from the global, so neither end alone can put one in a zone's store.
 */

import type { ResourceRegistry } from '../model/registry.js';
import type { Resource, ResourceInput } from '../model/resource.js';
import { DISPLAY_NAME_LABEL, ORIGIN_LABEL } from '../policies/policy-spec.js';
import { ZONE_TAG } from '../resources/common/tags.js';
import { isPrivateTokenMaterial, publicTokenMaterial } from '../tokens/public-token-material.js';
import {
  type KdsReceiveFlow,
  type KdsSendFlow,
  type MappedResource,
  mappedResource,
  type ZoneSet,
} from './kds-flow.js';
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

/** Options of the global's sending side. */
export interface GlobalToZoneSendFlowOptions extends GlobalToZoneFlowOptions {
  /**
   * Zones whose resources are withheld from the other zones (the disabled ones); followed, so
   * a zone's copies are removed from the others when it is disabled and sent again when it is
   * enabled. Default: none.
   */
  readonly withheldZones?: ZoneSet;
}

const NO_ZONES: ZoneSet = Object.freeze({ has: () => false, subscribe: () => () => {} });

/** The global's side: what it sends `zone`. */
export function globalToZoneSendFlow(options: GlobalToZoneSendFlowOptions): KdsSendFlow {
  const { registry, zone } = options;
  const withheld = options.withheldZones ?? NO_ZONES;
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
      if (origin !== undefined && withheld.has(origin)) return false;
      if (publicTokenMaterial(resource) === undefined) return false;
      // A relayed type only ever flows down as another zone's copy.
      return (
        !isRedistributedOnly(descriptor) || (origin !== undefined && resource.meta.labels[ORIGIN_LABEL] === ORIGIN_ZONE)
      );
    },
    map(stored: Resource): MappedResource {
      // `select` said yes, so the public form exists.
      const resource = publicTokenMaterial(stored) ?? stored;
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
    watch: (onChange: () => void) => withheld.subscribe(onChange),
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
      if (isPrivateTokenMaterial(input.type, input.name)) {
        reasons.push('is a private token signing key; a zone takes only public keys from the global');
      }
      return reasons;
    },
    toStored: (input: ResourceInput) => input,
  });
}
