/**
 * State-of-the-world ADS (`StreamAggregatedResources`). Each response carries the complete set
 * the client subscribed to: for LDS/CDS that is every resource (an absent one is deleted), for
 * EDS/RDS/SDS only the requested names. `version_info` is the hash of exactly what the
 * response carries, so "same version" means "same content" and nothing is resent needlessly —
 * also across reconnects, where the client's first request states the version it already has.
 */

import { create } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { type DiscoveryRequest, type DiscoveryResponse, DiscoveryResponseSchema } from '@strait/proto/envoy';
import { EMPTY_SET_VERSION, hashResourceSet, type Snapshot, type SnapshotResource } from '../cache/index.js';
import type { StreamProtocol } from './ads-stream.js';
import type { TypeState } from './stream-state.js';
import { isWildcardByDefault, WILDCARD_NAME } from './type-order.js';

/** The SotW half of an ADS stream. */
export const sotwProtocol: StreamProtocol<DiscoveryRequest, DiscoveryResponse> = {
  applyRequest(stream, request) {
    const { typeUrl } = request;
    if (typeUrl === '') {
      stream.log.warn('request without type_url ignored');
      return;
    }
    const { state, created } = stream.stateOf(typeUrl);
    const errorDetail = request.errorDetail && { code: request.errorDetail.code, message: request.errorDetail.message };
    const settlement = stream.settle(state, request.responseNonce, errorDetail);
    if (settlement === 'stale') {
      stream.log.debug({ typeUrl, nonce: request.responseNonce }, 'stale request ignored');
      return;
    }
    if (settlement === 'ack') state.appliedVersion = state.sentVersion;
    // A reconnecting client says what it has; if that is still current, nothing needs sending.
    if (created && request.versionInfo !== '') state.appliedVersion = request.versionInfo;
    subscribe(state, request.resourceNames);
    state.dirty = true;
  },

  buildResponse(state, snapshot, nonce) {
    const resources = selectResources(state, snapshot);
    // The set version of the whole type is precomputed by the cache; a subset is hashed here.
    const version = state.wildcard
      ? (snapshot.types.get(state.typeUrl)?.version ?? EMPTY_SET_VERSION)
      : hashResourceSet(resources);
    const upToDate = state.awaitingFirstResponse
      ? version === state.appliedVersion
      : // After a NACK `sentVersion` is the rejected one: it is not offered again until the content changes.
        version === state.sentVersion || version === state.appliedVersion;
    state.awaitingFirstResponse = false;
    if (upToDate) return undefined;
    const message = create(DiscoveryResponseSchema, { versionInfo: version, typeUrl: state.typeUrl, nonce });
    // Assigned, not passed to create(): the packed resources are shared across streams as they are.
    message.resources = resources.map(toAny);
    return { message, version };
  },
};

function toAny(resource: SnapshotResource): Any {
  return resource.resource;
}

/** SotW subscriptions are absolute: each request restates the full list of names. */
function subscribe(state: TypeState, names: readonly string[]): void {
  state.names.clear();
  state.wildcard = names.length === 0 ? isWildcardByDefault(state.typeUrl) : false;
  for (const name of names) {
    if (name === WILDCARD_NAME) state.wildcard = true;
    else state.names.add(name);
  }
}

/** The resources the client subscribed to, in a stable order. */
function selectResources(state: TypeState, snapshot: Snapshot): SnapshotResource[] {
  const available = snapshot.types.get(state.typeUrl)?.resources;
  if (available === undefined) return [];
  if (state.wildcard) return [...available.values()];
  const selected: SnapshotResource[] = [];
  for (const name of [...state.names].sort()) {
    const resource = available.get(name);
    if (resource !== undefined) selected.push(resource);
  }
  return selected;
}
