import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { create, fromJson } from '@bufbuild/protobuf';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  ClusterLoadAssignmentSchema,
  ClusterSchema,
  type DiscoveryRequest,
  DiscoveryRequestSchema,
  type DiscoveryResponse,
  NodeSchema,
} from '@strait/proto/envoy';
import { silentLogger } from '@strait/shared';
import { createSnapshotCache } from '../cache/index.js';
import { createAdsStream } from './ads-stream.js';
import { sotwProtocol } from './sotw-stream.js';

/** A stand-in for a grpc-js server call whose write() reports a full buffer while `full` is set. */
function fakeCall() {
  const call = Object.assign(new EventEmitter(), {
    written: [] as DiscoveryResponse[],
    full: true,
    ended: false,
    cancelled: false,
    write(message: DiscoveryResponse) {
      call.written.push(message);
      return !call.full;
    },
    end() {
      call.ended = true;
    },
  });
  return call;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createAdsStream', () => {
  it('writes nothing more after write() returns false until the call drains', async () => {
    const cache = createSnapshotCache();
    cache.set('p', {
      [CLUSTER_TYPE_URL]: { a: fromJson(ClusterSchema, { name: 'a' }) },
      [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]: { a: fromJson(ClusterLoadAssignmentSchema, { clusterName: 'a' }) },
    });
    const call = fakeCall();
    const closed: string[] = [];
    const stream = createAdsStream({
      call: call as unknown as ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>,
      proxyId: 'p',
      info: { streamId: 1, node: create(NodeSchema, { id: 'p' }), protocol: 'sotw', connectTime: new Date() },
      cache,
      observer: {},
      log: silentLogger(),
      protocol: sotwProtocol,
      onClosed: (s) => closed.push(s.proxyId),
    });
    stream.start([
      create(DiscoveryRequestSchema, { typeUrl: CLUSTER_TYPE_URL }),
      create(DiscoveryRequestSchema, { typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, resourceNames: ['a'] }),
    ]);
    await tick();
    assert.deepEqual(
      call.written.map((r) => r.typeUrl),
      [CLUSTER_TYPE_URL],
      'the EDS response waits for drain',
    );

    call.full = false;
    call.emit('drain');
    await tick();
    assert.deepEqual(
      call.written.map((r) => r.typeUrl),
      [CLUSTER_TYPE_URL, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL],
    );

    call.emit('cancelled');
    assert.deepEqual(closed, ['p']);
    cache.set('p', { [CLUSTER_TYPE_URL]: { b: fromJson(ClusterSchema, { name: 'b' }) } });
    await tick();
    assert.equal(call.written.length, 2, 'a closed stream no longer watches the cache');
  });
});
