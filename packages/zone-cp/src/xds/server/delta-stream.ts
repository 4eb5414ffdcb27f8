/**
 * Incremental ADS (`DeltaAggregatedResources`). The stream remembers, per type, which version
 * of each resource the client holds; a response carries only resources whose version differs
 * and the names that disappeared (`removed_resources`). A reconnecting client lists what it
 * holds in `initial_resource_versions`, so a reconnect costs what changed while it was away.
 *
 * Subscription changes are applied from every request, even one whose nonce is stale: delta
 * requests are increments, and dropping one would leave the subscription wrong for good. The
 * nonce only decides whether the request ACKs/NACKs the outstanding response.
 */

import { create } from '@bufbuild/protobuf';
import {
  type DeltaDiscoveryRequest,
  type DeltaDiscoveryResponse,
  DeltaDiscoveryResponseSchema,
  type Resource,
  ResourceSchema,
} from '@strait/proto/envoy';
import { EMPTY_SET_VERSION, type Snapshot, type SnapshotResource } from '../cache/index.js';
import type { StreamProtocol } from './ads-stream.js';
import type { TypeState } from './stream-state.js';
import { isWildcardByDefault, WILDCARD_NAME } from './type-order.js';

/**
 * The delta `Resource` wrapper of each snapshot resource, built once and shared by every stream
 * that sends it (snapshot resources are themselves shared across proxies).
 */
const wrapped = new WeakMap<SnapshotResource, Resource>();

function toDeltaResource(resource: SnapshotResource): Resource {
  let message = wrapped.get(resource);
  if (message === undefined) {
    message = create(ResourceSchema, { name: resource.name, version: resource.version });
    message.resource = resource.resource;
    wrapped.set(resource, message);
  }
  return message;
}

/** The delta half of an ADS stream. */
export const deltaProtocol: StreamProtocol<DeltaDiscoveryRequest, DeltaDiscoveryResponse> = {
  applyRequest(stream, request) {
    const { typeUrl } = request;
    if (typeUrl === '') {
      stream.log.warn('request without type_url ignored');
      return;
    }
    const { state, created } = stream.stateOf(typeUrl);
    if (created) {
      for (const [name, version] of Object.entries(request.initialResourceVersions)) state.known.set(name, version);
      // Legacy wildcard: the first request of LDS/CDS naming nothing subscribes to everything.
      state.wildcard = request.resourceNamesSubscribe.length === 0 && isWildcardByDefault(typeUrl);
    }
    subscribe(state, request.resourceNamesSubscribe, request.resourceNamesUnsubscribe);
    if (request.responseNonce !== '') {
      const errorDetail = request.errorDetail && {
        code: request.errorDetail.code,
        message: request.errorDetail.message,
      };
      // A NACK keeps `known` as sent: the rejected versions are not offered again until they change.
      if (stream.settle(state, request.responseNonce, errorDetail) === 'stale') {
        stream.log.debug({ typeUrl, nonce: request.responseNonce }, 'stale ACK/NACK ignored');
      }
    }
    state.dirty = true;
  },

  buildResponse(state, snapshot, nonce) {
    const available = snapshot.types.get(state.typeUrl)?.resources;
    const changed = changedResources(state, snapshot);
    const removed: string[] = [];
    for (const name of state.known.keys()) {
      if (available?.has(name) !== true && (state.wildcard || state.names.has(name))) removed.push(name);
    }
    const resuming = state.awaitingFirstResponse && state.known.size > 0;
    const mustAnswer = state.awaitingFirstResponse && !resuming;
    state.awaitingFirstResponse = false;
    if (changed.length === 0 && removed.length === 0 && !mustAnswer) return undefined;

    for (const resource of changed) state.known.set(resource.name, resource.version);
    for (const name of removed) state.known.delete(name);
    const version = snapshot.types.get(state.typeUrl)?.version ?? EMPTY_SET_VERSION;
    const message = create(DeltaDiscoveryResponseSchema, {
      systemVersionInfo: version,
      typeUrl: state.typeUrl,
      nonce,
      removedResources: removed,
    });
    message.resources = changed.map(toDeltaResource);
    return { message, version };
  },
};

function subscribe(state: TypeState, add: readonly string[], drop: readonly string[]): void {
  for (const name of add) {
    if (name === WILDCARD_NAME) state.wildcard = true;
    else state.names.add(name);
  }
  let leftWildcard = false;
  for (const name of drop) {
    if (name === WILDCARD_NAME) {
      leftWildcard = state.wildcard;
      state.wildcard = false;
      continue;
    }
    state.names.delete(name);
    // The client forgets what it unsubscribed from; under a wildcard it keeps receiving it.
    if (!state.wildcard) state.known.delete(name);
  }
  if (leftWildcard) {
    // Leaving the wildcard, the client keeps only what it names explicitly.
    for (const name of state.known.keys()) if (!state.names.has(name)) state.known.delete(name);
  }
}

/** Subscribed resources whose version differs from what the client holds. */
function changedResources(state: TypeState, snapshot: Snapshot): SnapshotResource[] {
  const available = snapshot.types.get(state.typeUrl)?.resources;
  if (available === undefined) return [];
  const changed: SnapshotResource[] = [];
  if (state.wildcard) {
    for (const resource of available.values()) {
      if (state.known.get(resource.name) !== resource.version) changed.push(resource);
    }
    return changed;
  }
  for (const name of state.names) {
    const resource = available.get(name);
    if (resource !== undefined && state.known.get(name) !== resource.version) changed.push(resource);
  }
  return changed;
}
