/**
 * KDS, the zone ↔ global sync protocol (proto/kds/v1/kds.proto, where its semantics are
 * documented): the service, the resource envelope and the type URLs. Consumers import from
 * `@strait/proto/kds`, never from `./gen`. The delta discovery messages the streams carry come
 * from `@strait/proto/envoy`.
 */

import { createRegistry, type Registry } from '@bufbuild/protobuf';
import { withDependencies } from './descriptor-closure.js';
import { file_kds_v1_kds } from './gen/kds/v1/kds_pb.js';

export type { KdsResource, ResourceMeta } from './gen/kds/v1/kds_pb.js';
export { KdsResourceSchema, KdsService, ResourceMetaSchema } from './gen/kds/v1/kds_pb.js';

/**
 * Type URL of the `Any` in `Resource.resource` on both KDS streams: every Strait resource
 * travels packed as a KdsResource. (The `type_url` of the delta requests and responses is
 * different: it is the Strait resource type, e.g. `MeshTrafficPermission`.)
 */
export const KDS_RESOURCE_TYPE_URL = 'type.googleapis.com/strait.kds.v1.KdsResource';

/** Full name of the KDS service, as in gRPC paths (`/strait.kds.v1.KdsService/GlobalToZone`). */
export const KDS_SERVICE_NAME = 'strait.kds.v1.KdsService';

/**
 * Resolves KdsResource and the delta discovery messages it travels in, so that a KDS message
 * converts to JSON (logs, debugging endpoints) with its `Any` contents expanded.
 */
export const kdsRegistry: Registry = createRegistry(...withDependencies([file_kds_v1_kds]));
