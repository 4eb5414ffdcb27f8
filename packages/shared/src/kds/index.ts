/**
 * KDS, the zone ↔ global sync (protocol: `proto/kds/v1/kds.proto`): naming and labels of
 * synced resources, content-hash versions, the resource envelope, the generic delta sender and
 * receiver, heartbeats, and the sessions the global's server and the zone's client run.
 *
 * Naming, as Kuma (details in `global-to-zone-flow.ts` and `zone-to-global-flow.ts`):
 * - zone → global: `<name>-<kdsHashedName(mesh, name, zone)>`, labels `kuma.io/origin: zone`,
 *   `kuma.io/zone`, `kuma.io/display-name`; owned on the global by the Zone resource;
 * - global → zone: policies `<display name>-<hash(mesh, display name[, origin zone])>`, other
 *   types keep their name; labels `kuma.io/origin: global`, `kuma.io/display-name` (and
 *   `kuma.io/zone` on another zone's resource relayed by the global).
 * Versions are `kdsContentVersion` (sha256 of canonical labels + spec + status, 16 hex digits).
 * Heartbeats are delta messages with type_url `KDS_HEARTBEAT_TYPE_URL`.
 */

export { createDeltaReceiver, type DeltaReceiver, type DeltaReceiverOptions } from './delta-receiver.js';
export { createDeltaSender, type DeltaSender, type DeltaSenderOptions } from './delta-sender.js';
export {
  type GlobalToZoneFlowOptions,
  type GlobalToZoneSendFlowOptions,
  globalToZoneReceiveFlow,
  globalToZoneSendFlow,
} from './global-to-zone-flow.js';
export { decodeKdsResource, encodeKdsResource, versionOfInput, type WireResource } from './kds-envelope.js';
export {
  type KdsFlowDirection,
  type KdsReceiveFlow,
  type KdsSendFlow,
  type MappedResource,
  mappedResource,
  type ZoneSet,
} from './kds-flow.js';
export { kdsHashedName } from './kds-hashed-name.js';
export { KDS_AUTHORIZATION_HEADER, KDS_INSTANCE_HEADER, KDS_VERSION_HEADER } from './kds-metadata.js';
export { kdsWireName, keyOfWireName, ORIGIN_GLOBAL, ORIGIN_ZONE } from './kds-names.js';
export {
  type KdsSession,
  type KdsSessionOptions,
  type ReceiverSessionOptions,
  type SenderSessionOptions,
  startReceiverSession,
  startSenderSession,
} from './kds-session.js';
export {
  clientStreamPort,
  type KdsStreamEnd,
  type KdsStreamPort,
  kdsMessageWorthCompressing,
  serverStreamPort,
} from './kds-stream-port.js';
export type { KdsAppliedInfo, KdsSentInfo, KdsSyncEvents } from './kds-sync-events.js';
export {
  grpcMessageCapBytes,
  KDS_SYNC_DEFAULTS,
  type KdsSyncOptions,
  type ResolvedKdsSyncOptions,
  resolveKdsSyncOptions,
} from './kds-sync-options.js';
export {
  DEFAULT_REDISTRIBUTED_TYPES,
  globalToZoneTypes,
  inApplyOrder,
  isRedistributedOnly,
  zoneToGlobalTypes,
} from './kds-types.js';
export { kdsContentVersion, type VersionedContent } from './kds-version.js';
export { KDS_HEARTBEAT_TYPE_URL } from './liveness.js';
export {
  type ZoneToGlobalFlowOptions,
  zoneToGlobalReceiveFlow,
  zoneToGlobalSendFlow,
} from './zone-to-global-flow.js';
