/** The per-proxy xDS snapshot cache: what each proxy should have, content-hashed per resource. */

export { EMPTY_SET_VERSION, hashResourceBytes, hashResourceSet } from './resource-hash.js';
export type {
  Snapshot,
  SnapshotInput,
  SnapshotResource,
  SnapshotTypeResources,
  XdsResourceInput,
  XdsResourcesInput,
} from './snapshot.js';
export type { SnapshotCache, SnapshotCacheOptions, SnapshotListener } from './snapshot-cache.js';
export { createSnapshotCache } from './snapshot-cache.js';
