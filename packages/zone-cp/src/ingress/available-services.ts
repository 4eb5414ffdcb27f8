/**
 * What a ZoneIngress of this zone advertises to other zones (`availableServices`): the local
 * instances grouped by mesh and full tag set (which includes `kuma.io/zone`), with how many
 * instances share it. Remote zones weight their endpoint for this ingress by `instances`.
 */

import { SERVICE_TAG } from '@strait/shared';
import { type LocalInstance, sortedTags, tagSetKey } from './local-instances.js';

/** One entry of `ZoneIngress.availableServices`, as Kuma shapes it. */
export interface AvailableService {
  readonly mesh: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly instances: number;
}

/**
 * Groups instances into available services, sorted by mesh, service, then tag set, with tag
 * keys in sorted order: the same instances always give byte-identical JSON. Pure.
 */
export function computeAvailableServices(instances: readonly LocalInstance[]): AvailableService[] {
  const groups = new Map<string, { mesh: string; tags: Record<string, string>; instances: number; key: string }>();
  for (const instance of instances) {
    const key = `${instance.mesh}\n${tagSetKey(instance.tags)}`;
    const group = groups.get(key);
    if (group === undefined)
      groups.set(key, { mesh: instance.mesh, tags: sortedTags(instance.tags), instances: 1, key });
    else group.instances++;
  }
  return [...groups.values()]
    .sort(
      (a, b) =>
        compare(a.mesh, b.mesh) ||
        compare(a.tags[SERVICE_TAG] ?? '', b.tags[SERVICE_TAG] ?? '') ||
        compare(a.key, b.key),
    )
    .map(({ mesh, tags, instances: count }) => ({ mesh, tags, instances: count }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether a stored `availableServices` already says what `computed` says (same entries, same
 * order, tags compared as sets). Anything the stored list carries besides mesh, tags and
 * instances (e.g. `externalService: false`) does not count as a difference.
 */
export function sameAvailableServices(stored: unknown, computed: readonly AvailableService[]): boolean {
  const list = Array.isArray(stored) ? stored : [];
  if (list.length !== computed.length) return false;
  return computed.every((want, i) => {
    const have = list[i] as { mesh?: unknown; tags?: unknown; instances?: unknown } | undefined;
    if (have === undefined || have.mesh !== want.mesh || (have.instances ?? 1) !== want.instances) return false;
    const tags = typeof have.tags === 'object' && have.tags !== null ? (have.tags as Record<string, string>) : {};
    return tagSetKey(tags) === tagSetKey(want.tags);
  });
}
