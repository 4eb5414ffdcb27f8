import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create, fromJson } from '@bufbuild/protobuf';
import { ServerCredentials, status } from '@grpc/grpc-js';
import { CLUSTER_TYPE_URL, ClusterSchema, DiscoveryRequestSchema } from '@strait/proto/envoy';
import { isStraitError, silentLogger } from '@strait/shared';
import { createSnapshotCache } from '../cache/index.js';
import { createAdsServer } from './ads-server.js';
import type { AdsServerOptions } from './ads-server-options.js';
import { node, startTestAds, testStream, waitFor } from './ads-test-kit.js';

function cdsRequest(nodeId: string) {
  return create(DiscoveryRequestSchema, { node: node(nodeId), typeUrl: CLUSTER_TYPE_URL });
}

describe('createAdsServer', () => {
  it('validates its options and lists every violation', () => {
    const options = {
      cache: createSnapshotCache(),
      logger: silentLogger(),
      credentials: ServerCredentials.createInsecure(),
      authenticate: async () => ({ proxyId: 'x' }),
      port: 70_000,
      maxConcurrentStreamOpensPerSecond: 0,
      keepaliveTimeMs: 1.5,
    } satisfies AdsServerOptions;
    assert.throws(
      () => createAdsServer(options),
      (err) =>
        isStraitError(err, 'Invalid') &&
        err.violations.map((v) => v.field).join() === 'port,maxConcurrentStreamOpensPerSecond,keepaliveTimeMs',
    );
  });

  it('refuses streams beyond the admission queue with UNAVAILABLE', async () => {
    const ads = await startTestAds({ maxConcurrentStreamOpensPerSecond: 1, maxQueuedStreamOpens: 0 });
    try {
      ads.cache.set('admitted', { [CLUSTER_TYPE_URL]: { a: fromJson(ClusterSchema, { name: 'a' }) } });
      const admitted = testStream(ads.client().streamAggregatedResources());
      admitted.send(cdsRequest('admitted'));
      await admitted.next();
      const refused = testStream(ads.client().streamAggregatedResources());
      refused.send(cdsRequest('refused'));
      assert.equal((await refused.failure()).code, status.UNAVAILABLE);
      admitted.cancel();
    } finally {
      await ads.stop();
    }
  });

  it('counts connected proxies, survives a throwing observer, and closes streams on stop()', async () => {
    const ads = await startTestAds({
      observer: {
        onResponseSent: () => {
          throw new Error('insights are broken');
        },
      },
    });
    ads.cache.set('p-1', { [CLUSTER_TYPE_URL]: { a: fromJson(ClusterSchema, { name: 'a' }) } });
    const stream = testStream(ads.client().streamAggregatedResources());
    stream.send(cdsRequest('p-1'));
    assert.equal((await stream.next()).resources.length, 1);
    assert.equal(ads.server.connectedProxies, 1);

    await ads.server.stop();
    const failure = await stream.failure();
    assert.equal(failure.code, status.UNAVAILABLE);
    await waitFor(() => ads.server.connectedProxies === 0, 'no connected proxies');
    await ads.stop();
  });
});
