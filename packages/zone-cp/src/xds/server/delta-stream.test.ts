import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { create, fromJson, type MessageInitShape } from '@bufbuild/protobuf';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  ClusterLoadAssignmentSchema,
  ClusterSchema,
  type DeltaDiscoveryRequest,
  DeltaDiscoveryRequestSchema,
  type DeltaDiscoveryResponse,
} from '@strait/proto/envoy';
import type { SnapshotInput } from '../cache/index.js';
import { node, startTestAds, type TestAds, type TestStream, testStream, waitFor } from './ads-test-kit.js';

type DeltaStream = TestStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>;

function clusters(timeouts: Record<string, number>): SnapshotInput {
  return {
    [CLUSTER_TYPE_URL]: Object.fromEntries(
      Object.entries(timeouts).map(([name, s]) => [name, fromJson(ClusterSchema, { name, connectTimeout: `${s}s` })]),
    ),
  };
}

function withEndpoints(base: SnapshotInput, ports: Record<string, number>): SnapshotInput {
  const endpoints = Object.entries(ports).map(([name, port]) =>
    fromJson(ClusterLoadAssignmentSchema, {
      clusterName: name,
      endpoints: [
        { lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '127.0.0.1', portValue: port } } } }] },
      ],
    }),
  );
  return { ...base, [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]: Object.fromEntries(endpoints.map((e) => [e.clusterName, e])) };
}

function request(
  init: MessageInitShape<typeof DeltaDiscoveryRequestSchema> & { nodeId?: string },
): DeltaDiscoveryRequest {
  const { nodeId, ...rest } = init;
  return create(DeltaDiscoveryRequestSchema, { ...rest, ...(nodeId === undefined ? {} : { node: node(nodeId) }) });
}

function ack(response: DeltaDiscoveryResponse): DeltaDiscoveryRequest {
  return request({ typeUrl: response.typeUrl, responseNonce: response.nonce });
}

function resourceVersions(response: DeltaDiscoveryResponse): Record<string, string> {
  return Object.fromEntries(response.resources.map((r) => [r.name, r.version]));
}

function versionOf(ads: TestAds, nodeId: string, typeUrl: string, name: string): string {
  return ads.cache.get(nodeId)?.types.get(typeUrl)?.resources.get(name)?.version ?? '';
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('ADS delta', () => {
  let ads: TestAds;
  let seq = 0;

  before(async () => {
    ads = await startTestAds();
  });
  after(() => ads.stop());

  function open(): { stream: DeltaStream; nodeId: string } {
    seq += 1;
    return { stream: testStream(ads.client().deltaAggregatedResources()), nodeId: `delta-${seq}` };
  }

  function sent(nodeId: string, typeUrl: string) {
    return ads.events.filter((e) => e.kind === 'sent' && e.proxyId === nodeId && e.typeUrl === typeUrl);
  }

  async function acked(stream: DeltaStream, nodeId: string, response: DeltaDiscoveryResponse): Promise<void> {
    const before = ads.events.filter((e) => e.kind === 'ack' && e.proxyId === nodeId).length;
    stream.send(ack(response));
    await waitFor(() => ads.events.filter((e) => e.kind === 'ack' && e.proxyId === nodeId).length > before, 'the ACK');
  }

  it('sends every resource on the initial wildcard request, then only what changed, then removals', async () => {
    const { stream, nodeId } = open();
    ads.cache.set(nodeId, clusters({ a: 1, b: 1, c: 1 }));
    stream.send(request({ nodeId, typeUrl: CLUSTER_TYPE_URL }));

    const initial = await stream.next();
    assert.deepEqual(resourceVersions(initial), {
      a: versionOf(ads, nodeId, CLUSTER_TYPE_URL, 'a'),
      b: versionOf(ads, nodeId, CLUSTER_TYPE_URL, 'b'),
      c: versionOf(ads, nodeId, CLUSTER_TYPE_URL, 'c'),
    });
    assert.deepEqual(initial.removedResources, []);
    assert.equal(initial.systemVersionInfo, ads.cache.get(nodeId)?.types.get(CLUSTER_TYPE_URL)?.version);
    await acked(stream, nodeId, initial);

    ads.cache.set(nodeId, clusters({ a: 1, b: 2, c: 1 }));
    const change = await stream.next();
    assert.deepEqual(Object.keys(resourceVersions(change)), ['b']);
    assert.deepEqual(change.removedResources, []);
    await acked(stream, nodeId, change);

    ads.cache.set(nodeId, clusters({ a: 1, c: 1 }));
    const removal = await stream.next();
    assert.deepEqual(removal.resources, []);
    assert.deepEqual(removal.removedResources, ['b']);
    await acked(stream, nodeId, removal);
    stream.cancel();
  });

  it('on reconnect with initial_resource_versions sends only the differences', async () => {
    const { stream, nodeId } = open();
    ads.cache.set(nodeId, clusters({ a: 1, b: 2 }));
    stream.send(
      request({
        nodeId,
        typeUrl: CLUSTER_TYPE_URL,
        initialResourceVersions: {
          a: versionOf(ads, nodeId, CLUSTER_TYPE_URL, 'a'),
          b: 'held-before',
          gone: 'held-before',
        },
      }),
    );
    const response = await stream.next();
    assert.deepEqual(Object.keys(resourceVersions(response)), ['b']);
    assert.deepEqual(response.removedResources, ['gone']);
    stream.cancel();
  });

  it('on reconnect with everything current sends nothing', async () => {
    const { stream, nodeId } = open();
    ads.cache.set(nodeId, withEndpoints(clusters({ a: 1 }), { a: 1 }));
    stream.send(
      request({
        nodeId,
        typeUrl: CLUSTER_TYPE_URL,
        initialResourceVersions: { a: versionOf(ads, nodeId, CLUSTER_TYPE_URL, 'a') },
      }),
    );
    stream.send(request({ typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, resourceNamesSubscribe: ['a'] }));
    assert.equal((await stream.next()).typeUrl, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    assert.equal(sent(nodeId, CLUSTER_TYPE_URL).length, 0);
    stream.cancel();
  });

  it('follows subscribe and unsubscribe of named resources', async () => {
    const { stream, nodeId } = open();
    const input = (aPort: number) => withEndpoints({}, { a: aPort, b: 2, c: 3 });
    ads.cache.set(nodeId, input(1));
    stream.send(request({ nodeId, typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, resourceNamesSubscribe: ['a'] }));
    const first = await stream.next();
    assert.deepEqual(Object.keys(resourceVersions(first)), ['a']);
    await acked(stream, nodeId, first);

    stream.send(request({ typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, resourceNamesSubscribe: ['c'] }));
    const added = await stream.next();
    assert.deepEqual(Object.keys(resourceVersions(added)), ['c']);
    await acked(stream, nodeId, added);

    // Unsubscribe a (and subscribe b, whose answer shows the request was handled).
    stream.send(
      request({
        typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
        resourceNamesSubscribe: ['b'],
        resourceNamesUnsubscribe: ['a'],
      }),
    );
    const swapped = await stream.next();
    assert.deepEqual(Object.keys(resourceVersions(swapped)), ['b']);
    assert.deepEqual(swapped.removedResources, []);
    await acked(stream, nodeId, swapped);
    ads.cache.set(nodeId, input(11));
    await settle();
    assert.equal(sent(nodeId, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL).length, 3, 'a is no longer subscribed');

    // Subscribing again delivers it, since the client forgot it on unsubscribe.
    stream.send(request({ typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, resourceNamesSubscribe: ['a'] }));
    assert.deepEqual(Object.keys(resourceVersions(await stream.next())), ['a']);
    stream.cancel();
  });

  it('records a NACK and does not offer the rejected versions again', async () => {
    const { stream, nodeId } = open();
    ads.cache.set(nodeId, withEndpoints(clusters({ a: 1 }), { a: 1 }));
    stream.send(request({ nodeId, typeUrl: CLUSTER_TYPE_URL }));
    const rejected = await stream.next();
    stream.send(
      request({ typeUrl: CLUSTER_TYPE_URL, responseNonce: rejected.nonce, errorDetail: { code: 3, message: 'no' } }),
    );
    const nack = await waitFor(() => ads.events.find((e) => e.kind === 'nack' && e.proxyId === nodeId), 'the NACK');
    assert.ok(nack.kind === 'nack');
    assert.equal(nack.error.message, 'no');

    ads.cache.set(nodeId, withEndpoints(clusters({ a: 1 }), { a: 2 }));
    stream.send(request({ typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, resourceNamesSubscribe: ['a'] }));
    assert.equal((await stream.next()).typeUrl, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    assert.equal(sent(nodeId, CLUSTER_TYPE_URL).length, 1);

    ads.cache.set(nodeId, withEndpoints(clusters({ a: 5 }), { a: 2 }));
    const fixed = await stream.next();
    assert.equal(fixed.typeUrl, CLUSTER_TYPE_URL);
    assert.deepEqual(Object.keys(resourceVersions(fixed)), ['a']);
    stream.cancel();
  });

  it('closes the stream with UNAUTHENTICATED when authentication fails', async () => {
    const stream = testStream(ads.client().deltaAggregatedResources());
    stream.send(request({ nodeId: 'bad-delta', typeUrl: CLUSTER_TYPE_URL }));
    const failure = await stream.failure();
    assert.equal(failure.code, 16);
    assert.equal(failure.details, 'unknown proxy bad-delta');
  });
});
