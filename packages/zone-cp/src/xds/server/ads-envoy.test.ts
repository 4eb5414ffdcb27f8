/**
 * The ADS server against a real Envoy, in both xDS flavours: Envoy must accept what it is sent
 * (no NACK), route traffic by it, and follow an endpoint change.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromJson } from '@bufbuild/protobuf';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  ClusterLoadAssignmentSchema,
  ClusterSchema,
  envoyRegistry,
  LISTENER_TYPE_URL,
  ListenerSchema,
  ROUTE_CONFIGURATION_TYPE_URL,
  RouteConfigurationSchema,
} from '@strait/proto/envoy';
import type { SnapshotInput } from '../cache/index.js';
import { startTestAds, type TestAds, waitFor } from './ads-test-kit.js';
import {
  type EnvoyProcess,
  envoyBinary,
  freePort,
  httpGet,
  startBackend,
  startEnvoy,
  writeBootstrap,
} from './envoy-test-kit.js';

/** Envoy start-up, cluster warming and an update, on a busy machine. */
const ENVOY_DEADLINE_MS = 30_000;

const ADS = { ads: {}, resourceApiVersion: 'V3' };

/** One cluster fed by EDS, one listener whose routes come over RDS: every ADS type Envoy warms on. */
function snapshotFor(listenerPort: number, backendPort: number): SnapshotInput {
  const cluster = fromJson(ClusterSchema, {
    name: 'backend',
    type: 'EDS',
    connectTimeout: '1s',
    edsClusterConfig: { edsConfig: ADS },
  });
  const endpoints = fromJson(ClusterLoadAssignmentSchema, {
    clusterName: 'backend',
    endpoints: [
      { lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '127.0.0.1', portValue: backendPort } } } }] },
    ],
  });
  const routes = fromJson(RouteConfigurationSchema, {
    name: 'local_route',
    virtualHosts: [
      { name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'backend' } }] },
    ],
  });
  const listener = fromJson(
    ListenerSchema,
    {
      name: 'ingress',
      address: { socketAddress: { address: '127.0.0.1', portValue: listenerPort } },
      filterChains: [
        {
          filters: [
            {
              name: 'envoy.filters.network.http_connection_manager',
              typedConfig: {
                '@type':
                  'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
                statPrefix: 'ingress',
                rds: { configSource: ADS, routeConfigName: 'local_route' },
                httpFilters: [
                  {
                    name: 'envoy.filters.http.router',
                    typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
                  },
                ],
              },
            },
          ],
        },
      ],
    },
    { registry: envoyRegistry },
  );
  return {
    [CLUSTER_TYPE_URL]: { backend: cluster },
    [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]: { backend: endpoints },
    [ROUTE_CONFIGURATION_TYPE_URL]: { local_route: routes },
    [LISTENER_TYPE_URL]: { ingress: listener },
  };
}

for (const apiType of ['GRPC', 'DELTA_GRPC'] as const) {
  describe(`ADS with a real Envoy (${apiType})`, () => {
    const nodeId = `envoy-${apiType.toLowerCase()}`;
    let ads: TestAds;
    let envoy: EnvoyProcess | undefined;
    let dir: string;
    let listenerPort: number;
    const backends: { server: Server; port: number }[] = [];

    /** Waits until a request through Envoy's listener answers `body`; fails with Envoy's output. */
    async function trafficReaches(body: string): Promise<void> {
      await waitFor(async () => (await httpGet(listenerPort)) === body, `traffic to ${body}`, ENVOY_DEADLINE_MS).catch(
        (err: Error) => assert.fail(`${err.message}\n--- envoy output ---\n${envoy?.output() ?? ''}`),
      );
    }

    function eventsOf(server: TestAds) {
      return server.events.filter((e) => e.proxyId === nodeId);
    }

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'strait-ads-envoy-'));
      ads = await startTestAds();
      backends.push(await startBackend('backend-1'), await startBackend('backend-2'));
      listenerPort = await freePort();
    });

    after(async () => {
      await envoy?.kill();
      await ads?.stop();
      for (const { server } of backends) server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('configures Envoy to route to the endpoint in the snapshot and follows an endpoint change', async () => {
      const [first, second] = backends;
      assert.ok(first && second);
      ads.cache.set(nodeId, snapshotFor(listenerPort, first.port));
      const configPath = join(dir, 'bootstrap.json');
      writeBootstrap(configPath, { nodeId, adsPort: ads.server.address().port, apiType });
      envoy = startEnvoy(envoyBinary(), configPath, join(dir, 'admin-address'));
      await trafficReaches('backend-1');

      ads.cache.set(nodeId, snapshotFor(listenerPort, second.port));
      await trafficReaches('backend-2');

      const mine = eventsOf(ads);
      assert.deepEqual(
        mine.filter((e) => e.kind === 'nack'),
        [],
        'Envoy rejected nothing',
      );
      const ackedTypes = new Set(mine.flatMap((e) => (e.kind === 'ack' ? [e.typeUrl] : [])));
      assert.deepEqual(
        [...ackedTypes].sort(),
        [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL].sort(),
      );
      const opened = mine.find((e) => e.kind === 'open');
      assert.ok(opened?.kind === 'open');
      assert.equal(opened.info.protocol, apiType === 'GRPC' ? 'sotw' : 'delta');
    });

    it('resumes after a control-plane restart without resending unchanged config', async () => {
      // Continues from the previous test: Envoy runs and routes to backend-2.
      const [first] = backends;
      assert.ok(first && envoy);
      const { port } = ads.server.address();
      const { cache } = ads;
      await ads.stop();
      ads = await startTestAds({ cache, port });
      await waitFor(() => eventsOf(ads).some((e) => e.kind === 'open'), 'Envoy to reconnect', ENVOY_DEADLINE_MS);

      // A change after the reconnect proves the new stream works; only that change is sent.
      cache.set(nodeId, snapshotFor(listenerPort, first.port));
      await trafficReaches('backend-1');
      const mine = eventsOf(ads);
      assert.deepEqual(
        mine.flatMap((e) => (e.kind === 'sent' ? [e.typeUrl] : [])),
        [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL],
        'only the changed endpoints were sent after the reconnect',
      );
      assert.deepEqual(
        mine.filter((e) => e.kind === 'nack'),
        [],
      );
    });
  });
}
