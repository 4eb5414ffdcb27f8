import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { create, fromJson, type MessageInitShape } from '@bufbuild/protobuf';
import { anyUnpack } from '@bufbuild/protobuf/wkt';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  ClusterLoadAssignmentSchema,
  ClusterSchema,
  type DiscoveryRequest,
  DiscoveryRequestSchema,
  type DiscoveryResponse,
  envoyRegistry,
  LISTENER_TYPE_URL,
  ListenerSchema,
} from '@strait/proto/envoy';
import type { SnapshotInput } from '../cache/index.js';
import { node, startTestAds, type TestAds, type TestStream, testStream, waitFor } from './ads-test-kit.js';

type SotwStream = TestStream<DiscoveryRequest, DiscoveryResponse>;

function cluster(name: string, connectTimeoutSeconds = 1) {
  return fromJson(ClusterSchema, { name, type: 'EDS', connectTimeout: `${connectTimeoutSeconds}s` });
}

function endpoints(name: string, port: number) {
  return fromJson(ClusterLoadAssignmentSchema, {
    clusterName: name,
    endpoints: [
      { lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '127.0.0.1', portValue: port } } } }] },
    ],
  });
}

function listener(name: string, port: number) {
  return fromJson(ListenerSchema, { name, address: { socketAddress: { address: '127.0.0.1', portValue: port } } });
}

/** A snapshot input from lists of messages, keyed by their names. */
function snapshot(parts: {
  clusters?: ReturnType<typeof cluster>[];
  endpoints?: ReturnType<typeof endpoints>[];
  listeners?: ReturnType<typeof listener>[];
}): SnapshotInput {
  return {
    [CLUSTER_TYPE_URL]: Object.fromEntries((parts.clusters ?? []).map((c) => [c.name, c])),
    [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]: Object.fromEntries((parts.endpoints ?? []).map((e) => [e.clusterName, e])),
    [LISTENER_TYPE_URL]: Object.fromEntries((parts.listeners ?? []).map((l) => [l.name, l])),
  };
}

function request(init: MessageInitShape<typeof DiscoveryRequestSchema> & { nodeId?: string }): DiscoveryRequest {
  const { nodeId, ...rest } = init;
  return create(DiscoveryRequestSchema, { ...rest, ...(nodeId === undefined ? {} : { node: node(nodeId) }) });
}

function ack(response: DiscoveryResponse, resourceNames: string[] = []): DiscoveryRequest {
  return request({
    typeUrl: response.typeUrl,
    versionInfo: response.versionInfo,
    responseNonce: response.nonce,
    resourceNames,
  });
}

function names(response: DiscoveryResponse): string[] {
  return response.resources.map((any) => {
    const message = anyUnpack(any, envoyRegistry) as { name?: string; clusterName?: string } | undefined;
    return message?.name ?? message?.clusterName ?? '';
  });
}

/** Lets the server's microtask pumps run: in-process, anything it sends is recorded by then. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('ADS state of the world', () => {
  let ads: TestAds;
  let seq = 0;

  before(async () => {
    ads = await startTestAds();
  });
  after(() => ads.stop());

  function open(): { stream: SotwStream; nodeId: string } {
    seq += 1;
    const nodeId = `sotw-${seq}`;
    return { stream: testStream(ads.client().streamAggregatedResources()), nodeId };
  }

  function sent(nodeId: string, typeUrl: string) {
    return ads.events.filter((e) => e.kind === 'sent' && e.proxyId === nodeId && e.typeUrl === typeUrl);
  }

  it('answers the first CDS request with every cluster and records the ACK', async () => {
    const { stream, nodeId } = open();
    ads.cache.set(nodeId, snapshot({ clusters: [cluster('a'), cluster('b')] }));
    stream.send(request({ nodeId, typeUrl: CLUSTER_TYPE_URL }));

    const response = await stream.next();
    assert.equal(response.typeUrl, CLUSTER_TYPE_URL);
    assert.deepEqual(names(response).sort(), ['a', 'b']);
    assert.equal(response.versionInfo, ads.cache.get(nodeId)?.types.get(CLUSTER_TYPE_URL)?.version);
    assert.notEqual(response.nonce, '');

    stream.send(ack(response));
    await waitFor(
      () => ads.events.some((e) => e.kind === 'ack' && e.proxyId === nodeId && e.version === response.versionInfo),
      'the ACK',
    );
    stream.cancel();
  });

  it('records a NACK with its message and does not resend the rejected version', async () => {
    const { stream, nodeId } = open();
    ads.cache.set(nodeId, snapshot({ clusters: [cluster('a')], listeners: [listener('l', 10_001)] }));
    stream.send(request({ nodeId, typeUrl: CLUSTER_TYPE_URL }));
    const rejected = await stream.next();
    stream.send(
      request({
        typeUrl: CLUSTER_TYPE_URL,
        versionInfo: '',
        responseNonce: rejected.nonce,
        errorDetail: { code: 3, message: 'cluster a: bad connect timeout' },
      }),
    );
    const nack = await waitFor(() => ads.events.find((e) => e.kind === 'nack' && e.proxyId === nodeId), 'the NACK');
    assert.ok(nack.kind === 'nack');
    assert.deepEqual(nack.error, { code: 3, message: 'cluster a: bad connect timeout' });
    assert.equal(nack.version, rejected.versionInfo);

    // The same content again is not offered: the next thing on the stream is the LDS answer.
    ads.cache.set(nodeId, snapshot({ clusters: [cluster('a')], listeners: [listener('l', 10_001)] }));
    stream.send(request({ typeUrl: LISTENER_TYPE_URL }));
    assert.equal((await stream.next()).typeUrl, LISTENER_TYPE_URL);
    assert.equal(sent(nodeId, CLUSTER_TYPE_URL).length, 1);

    // New content is.
    ads.cache.set(nodeId, snapshot({ clusters: [cluster('a', 2)], listeners: [listener('l', 10_001)] }));
    const fixed = await stream.next();
    assert.equal(fixed.typeUrl, CLUSTER_TYPE_URL);
    assert.notEqual(fixed.versionInfo, rejected.versionInfo);
    stream.cancel();
  });

  it('keeps at most one response un-ACKed and folds later changes into the next one', async () => {
    const { stream, nodeId } = open();
    ads.cache.set(nodeId, snapshot({ clusters: [cluster('a', 1)] }));
    stream.send(request({ nodeId, typeUrl: CLUSTER_TYPE_URL }));
    const first = await stream.next();

    ads.cache.set(nodeId, snapshot({ clusters: [cluster('a', 2)] }));
    ads.cache.set(nodeId, snapshot({ clusters: [cluster('a', 3)] }));
    await settle();
    assert.equal(sent(nodeId, CLUSTER_TYPE_URL).length, 1, 'nothing sent while the first is un-ACKed');

    stream.send(ack(first));
    const folded = await stream.next();
    const unpacked = folded.resources[0] && anyUnpack(folded.resources[0], ClusterSchema);
    assert.equal(unpacked?.connectTimeout?.seconds, 3n);
    stream.send(ack(folded));
    await waitFor(() => ads.events.some((e) => e.kind === 'ack' && e.version === folded.versionInfo), 'the ACK');
    await settle();
    assert.equal(sent(nodeId, CLUSTER_TYPE_URL).length, 2);
    assert.equal(stream.pending.length, 0);
    stream.cancel();
  });

  it('ignores a request whose nonce is stale', async () => {
    const { stream, nodeId } = open();
    ads.cache.set(nodeId, snapshot({ clusters: [cluster('a', 1)], endpoints: [endpoints('a', 8080)] }));
    stream.send(request({ nodeId, typeUrl: CLUSTER_TYPE_URL }));
    const first = await stream.next();
    stream.send(ack(first));
    ads.cache.set(nodeId, snapshot({ clusters: [cluster('a', 2)], endpoints: [endpoints('a', 8080)] }));
    const second = await stream.next();

    // A NACK naming the older nonce must not count, nor release the un-ACKed response.
    stream.send(
      request({
        typeUrl: CLUSTER_TYPE_URL,
        versionInfo: first.versionInfo,
        responseNonce: first.nonce,
        errorDetail: { code: 3, message: 'late' },
      }),
    );
    // Round trip on another type (same stage, not held back) so the stale request was handled.
    stream.send(request({ typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, resourceNames: ['a'] }));
    assert.equal((await stream.next()).typeUrl, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    assert.equal(ads.events.filter((e) => e.kind === 'nack' && e.proxyId === nodeId).length, 0);

    stream.send(ack(second));
    await waitFor(
      () => ads.events.some((e) => e.kind === 'ack' && e.proxyId === nodeId && e.version === second.versionInfo),
      'the ACK of the newer response',
    );
    stream.cancel();
  });

  it('does not resend when set() gets identical content', async () => {
    const { stream, nodeId } = open();
    ads.cache.set(nodeId, snapshot({ clusters: [cluster('a'), cluster('b')] }));
    stream.send(request({ nodeId, typeUrl: CLUSTER_TYPE_URL }));
    const first = await stream.next();
    stream.send(ack(first));
    await waitFor(() => ads.events.some((e) => e.kind === 'ack' && e.proxyId === nodeId), 'the ACK');

    assert.equal(ads.cache.set(nodeId, snapshot({ clusters: [cluster('b'), cluster('a')] })).size, 0);
    stream.send(request({ typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, resourceNames: ['a'] }));
    assert.equal((await stream.next()).typeUrl, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    assert.equal(sent(nodeId, CLUSTER_TYPE_URL).length, 1);
    stream.cancel();
  });

  it('sends only the requested EDS names, and only when they change', async () => {
    const { stream, nodeId } = open();
    const all = (bPort: number, aPort = 1) =>
      snapshot({ endpoints: [endpoints('a', aPort), endpoints('b', bPort), endpoints('c', 3)] });
    ads.cache.set(nodeId, all(2));
    stream.send(request({ nodeId, typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, resourceNames: ['c', 'a'] }));
    const first = await stream.next();
    assert.deepEqual(names(first), ['a', 'c']);
    stream.send(ack(first, ['c', 'a']));
    await waitFor(() => ads.events.some((e) => e.kind === 'ack' && e.proxyId === nodeId), 'the ACK');

    ads.cache.set(nodeId, all(22));
    await settle();
    assert.equal(sent(nodeId, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL).length, 1, 'b is not subscribed');

    ads.cache.set(nodeId, all(22, 11));
    const second = await stream.next();
    assert.deepEqual(names(second), ['a', 'c']);

    // A changed subscription is answered with the new set.
    stream.send(ack(second, ['b']));
    assert.deepEqual(names(await stream.next()), ['b']);
    stream.cancel();
  });

  it('pushes a change of clusters and listeners CDS first, LDS after the CDS ACK', async () => {
    const { stream, nodeId } = open();
    ads.cache.set(nodeId, snapshot({ clusters: [cluster('a')], listeners: [listener('l', 10_001)] }));
    stream.send(request({ nodeId, typeUrl: CLUSTER_TYPE_URL }));
    stream.send(ack(await stream.next()));
    stream.send(request({ typeUrl: LISTENER_TYPE_URL }));
    stream.send(ack(await stream.next()));
    await waitFor(() => ads.events.filter((e) => e.kind === 'ack' && e.proxyId === nodeId).length === 2, 'ACKs');

    ads.cache.set(nodeId, snapshot({ clusters: [cluster('a'), cluster('b')], listeners: [listener('l', 10_002)] }));
    const clusters = await stream.next();
    assert.equal(clusters.typeUrl, CLUSTER_TYPE_URL);
    await settle();
    assert.equal(sent(nodeId, LISTENER_TYPE_URL).length, 1, 'LDS waits for the CDS ACK');
    stream.send(ack(clusters));
    assert.equal((await stream.next()).typeUrl, LISTENER_TYPE_URL);
    stream.cancel();
  });

  it('does not resend on reconnect what the client says it has', async () => {
    const { stream, nodeId } = open();
    ads.cache.set(nodeId, snapshot({ clusters: [cluster('a')], endpoints: [endpoints('a', 1)] }));
    stream.send(request({ nodeId, typeUrl: CLUSTER_TYPE_URL }));
    const first = await stream.next();
    stream.send(ack(first));
    stream.cancel();
    await waitFor(() => ads.events.some((e) => e.kind === 'close' && e.proxyId === nodeId), 'the close');

    const again = testStream(ads.client().streamAggregatedResources());
    again.send(request({ nodeId, typeUrl: CLUSTER_TYPE_URL, versionInfo: first.versionInfo }));
    again.send(request({ typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, resourceNames: ['a'] }));
    assert.equal((await again.next()).typeUrl, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    assert.equal(sent(nodeId, CLUSTER_TYPE_URL).length, 1);
    again.cancel();
  });

  it('closes the stream with UNAUTHENTICATED when authentication fails', async () => {
    const stream = testStream(ads.client().streamAggregatedResources());
    stream.send(request({ nodeId: 'bad-1', typeUrl: CLUSTER_TYPE_URL }));
    const failure = await stream.failure();
    assert.equal(failure.code, 16);
    assert.equal(failure.details, 'unknown proxy bad-1');
  });

  it('replaces the first stream when a second opens for the same node', async () => {
    const { stream: first, nodeId } = open();
    ads.cache.set(nodeId, snapshot({ clusters: [cluster('a')] }));
    first.send(request({ nodeId, typeUrl: CLUSTER_TYPE_URL }));
    await first.next();
    const second = testStream(ads.client().streamAggregatedResources());
    second.send(request({ nodeId, typeUrl: CLUSTER_TYPE_URL }));
    assert.deepEqual(names(await second.next()), ['a']);
    assert.equal((await first.failure()).code, 10); // ABORTED

    const lifecycle = ads.events
      .filter((e) => (e.kind === 'open' || e.kind === 'close') && e.proxyId === nodeId)
      .map((e) => (e.kind === 'open' || e.kind === 'close' ? `${e.kind}:${e.info.streamId}` : ''));
    const [openFirst, closeFirst, openSecond] = lifecycle;
    assert.equal(lifecycle.length, 3);
    assert.equal(openFirst?.split(':')[1], closeFirst?.split(':')[1]);
    assert.match(openSecond ?? '', /^open:/);
    assert.notEqual(openSecond, openFirst);
    second.cancel();
  });
});
