/** @strait/zone-cp — the zone control plane. */

export type { KdsClient, KdsClientObserver, KdsClientOptions, KdsDisconnectInfo } from './kds/index.js';
export { createKdsClient } from './kds/index.js';
export type { RunningZoneCp, StartZoneCpOptions } from './start-zone-cp.js';
export { startZoneCp } from './start-zone-cp.js';
export type {
  Snapshot,
  SnapshotCache,
  SnapshotCacheOptions,
  SnapshotInput,
  SnapshotListener,
  SnapshotResource,
  SnapshotTypeResources,
  XdsResourceInput,
  XdsResourcesInput,
} from './xds/cache/index.js';
export { createSnapshotCache, EMPTY_SET_VERSION, hashResourceBytes, hashResourceSet } from './xds/cache/index.js';
export type {
  AdsErrorDetail,
  AdsObserver,
  AdsProtocol,
  AdsServer,
  AdsServerOptions,
  AdsStreamInfo,
  ProxyIdentity,
} from './xds/server/index.js';
export { createAdsServer } from './xds/server/index.js';
