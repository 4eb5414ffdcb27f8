/**
 * The service instances of this zone that other zones may reach through its ingresses: every
 * ready inbound (`health.ready !== false`) of every Dataplane registered in this zone whose proxy
 * this CP does not know to be offline. Each instance carries its inbound's tags plus
 * `kuma.io/zone` (this zone, as Kuma tags them), so instances of one zone group by full tag set.
 */

import { type DataplaneSpec, type Resource, SERVICE_TAG, ZONE_TAG } from '@strait/shared';

/** One ready inbound of a local Dataplane. */
export interface LocalInstance {
  readonly mesh: string;
  /** The inbound's tags with `kuma.io/zone` set; always has `kuma.io/service`. */
  readonly tags: Readonly<Record<string, string>>;
  /** Where the inbound's Envoy listens (the inbound's address, else the Dataplane's). */
  readonly address: string;
  readonly port: number;
}

/** Inputs of {@link localInstances} besides the Dataplanes. */
export interface LocalInstancesOptions {
  /** This CP's zone. */
  readonly zone: string;
  /** Whether the Dataplane's proxy disconnected from this CP (its instances are left out). */
  readonly isOffline: (mesh: string, name: string) => boolean;
}

/** Dataplanes synced from elsewhere carry another zone's `kuma.io/zone` label; only this zone's count. */
function isLocal(dataplane: Resource, zone: string): boolean {
  const labelled = dataplane.meta.labels[ZONE_TAG];
  return labelled === undefined || labelled === '' || labelled === zone;
}

/** The ready inbounds of `dataplanes` (any mesh), in input order. Pure. */
export function localInstances(dataplanes: readonly Resource[], options: LocalInstancesOptions): LocalInstance[] {
  const out: LocalInstance[] = [];
  for (const dp of dataplanes) {
    const mesh = dp.meta.mesh;
    if (mesh === undefined || !isLocal(dp, options.zone) || options.isOffline(mesh, dp.meta.name)) continue;
    const spec = dp.spec as DataplaneSpec;
    for (const inbound of spec.networking.inbound ?? []) {
      const tags = inbound.tags ?? {};
      if (tags[SERVICE_TAG] === undefined || inbound.health?.ready === false) continue;
      out.push({
        mesh,
        tags: { ...tags, [ZONE_TAG]: options.zone },
        address: inbound.address ?? spec.networking.address,
        port: inbound.port,
      });
    }
  }
  return out;
}

/** A canonical key of a tag set: sorted `k=v` pairs (keys and values are tag-validated strings). */
export function tagSetKey(tags: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.keys(tags)
      .sort()
      .map((k) => [k, tags[k]]),
  );
}

/** The tag set with its keys in sorted order (stable JSON, stable hashes). */
export function sortedTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tags).sort()) out[key] = tags[key] ?? '';
  return out;
}
