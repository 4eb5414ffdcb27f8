/**
 * The snapshot model: what one proxy should have, per xDS type. Snapshots are immutable; the
 * cache replaces a proxy's snapshot as a whole and reuses every unchanged part of the old one,
 * so readers (the ADS streams) can compare parts by identity and by version.
 */

import type { Message } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';

/**
 * One resource as a generator hands it over: a protobuf-es Envoy message (packed by the cache,
 * once per content version) or an `Any` the generator already packed. Its type must match the
 * type URL it is filed under.
 */
export type XdsResourceInput = Message | Any;

/** The resources of one type, by resource name (a `Map` or a plain object). */
export type XdsResourcesInput = ReadonlyMap<string, XdsResourceInput> | Readonly<Record<string, XdsResourceInput>>;

/**
 * What a generator passes to `SnapshotCache.set`: per xDS type URL (e.g. `CLUSTER_TYPE_URL`),
 * the resources by name. A type left out has no resources.
 */
export type SnapshotInput = Readonly<Record<string, XdsResourcesInput>>;

/**
 * One resource in a snapshot. Shared: every proxy whose snapshot has the same resource (same
 * type, name and content) holds the same object, so the packed bytes exist once.
 */
export interface SnapshotResource {
  readonly name: string;
  /** Content hash of the serialized resource. */
  readonly version: string;
  /** The resource packed once, ready to put on the wire. */
  readonly resource: Any;
}

/** The resources of one type in a snapshot. */
export interface SnapshotTypeResources {
  readonly typeUrl: string;
  /** Version of the whole set (names and versions of all members). */
  readonly version: string;
  readonly resources: ReadonlyMap<string, SnapshotResource>;
}

/** What one proxy should have. */
export interface Snapshot {
  /** Per type URL; a type without resources is absent. */
  readonly types: ReadonlyMap<string, SnapshotTypeResources>;
}
