/**
 * The reconciler with zone ingresses (memory store, real snapshot cache, real mesh CA): an
 * ingress's config follows the zone's Dataplanes and their proxies' presence, and a ZoneIngress
 * change (here another zone's, as KDS would sync it) regenerates the sidecars of every mesh.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  type ClusterLoadAssignment,
  LISTENER_TYPE_URL,
  type Listener,
} from '@strait/proto/envoy';
import type { ResourceInput, ResourceStore } from '@strait/shared';
import type { SnapshotCache } from '../cache/index.js';
import {
  endpointPorts,
  MTLS_MESH,
  type ReconcilerRig,
  snapshotResources,
  startReconcilerRig,
  testDataplane,
} from './reconcile-test-kit.js';
import type { XdsReconciler } from './xds-reconciler.js';

const dataplane = (name: string, service: string, port: number, outbound?: string) =>
  testDataplane(name, service, port, outbound === undefined ? {} : { outbound });

describe('xds reconciler: zone ingresses', () => {
  let rig: ReconcilerRig;
  let store: ResourceStore;
  let cache: SnapshotCache;
  let xds: XdsReconciler;

  const resources = <T>(proxyId: string, typeUrl: string): T[] => snapshotResources<T>(cache, proxyId, typeUrl);
  const ingressSnis = (): string[] =>
    resources<Listener>('ingress/zi-1', LISTENER_TYPE_URL).flatMap((l) =>
      l.filterChains.flatMap((c) => c.filterChainMatch?.serverNames ?? []),
    );
  const ingressEndpoints = (cluster: string): number[] => endpointPorts(cache, 'ingress/zi-1', cluster);

  before(async () => {
    rig = await startReconcilerRig([
      MTLS_MESH,
      {
        type: 'ZoneIngress',
        name: 'zi-1',
        spec: { zone: 'zone-1', networking: { address: '127.0.0.1', port: 10_001 } },
      },
      dataplane('backend-1', 'backend', 20_001),
      dataplane('web-1', 'web', 21_001, 'backend'),
    ]);
    ({ store, cache, xds } = rig);
    xds.proxyConnected('default.web-1', 'default', 'web-1');
    xds.proxyConnected('default.backend-1', 'default', 'backend-1');
    xds.ingressConnected('ingress/zi-1', 'zi-1');
    await xds.settled();
  });
  after(() => rig.stop());

  it("routes each local service's SNI to its ready endpoints", () => {
    assert.deepEqual(ingressSnis(), [
      'backend{kuma.io/zone=zone-1,mesh=default}',
      'backend{mesh=default}',
      'web{kuma.io/zone=zone-1,mesh=default}',
      'web{mesh=default}',
    ]);
    assert.deepEqual(ingressEndpoints('backend{mesh=default}'), [20_001]);
  });

  it('follows Dataplane changes and proxies going offline and back', async () => {
    await store.create(dataplane('backend-2', 'backend', 20_011));
    await xds.settled();
    assert.deepEqual(ingressEndpoints('backend{mesh=default}'), [20_001, 20_011]);
    xds.proxyConnected('default.backend-2', 'default', 'backend-2');
    xds.proxyDisconnected('default.backend-2', 'default', 'backend-2');
    await xds.settled();
    assert.deepEqual(ingressEndpoints('backend{mesh=default}'), [20_001]);
    xds.proxyConnected('default.backend-2', 'default', 'backend-2');
    await xds.settled();
    assert.deepEqual(ingressEndpoints('backend{mesh=default}'), [20_001, 20_011]);
    await store.delete({ type: 'Dataplane', mesh: 'default', name: 'web-1' });
    await xds.settled();
    assert.ok(!ingressSnis().includes('web{mesh=default}'));
  });

  it("another zone's ZoneIngress (synced over KDS) regenerates the sidecars' EDS", async () => {
    await store.create(dataplane('web-2', 'web', 21_011, 'backend'));
    xds.proxyConnected('default.web-2', 'default', 'web-2');
    await xds.settled();
    const remoteBefore = resources<ClusterLoadAssignment>('default.web-2', CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    assert.ok(!JSON.stringify(remoteBefore).includes('zone-2'));
    await store.create({
      type: 'ZoneIngress',
      name: 'zi-remote',
      labels: { 'kuma.io/origin': 'global', 'kuma.io/zone': 'zone-2' },
      spec: {
        zone: 'zone-2',
        networking: { address: '10.0.0.9', port: 10_001, advertisedAddress: '203.0.113.9', advertisedPort: 30_001 },
        availableServices: [{ mesh: 'default', tags: { 'kuma.io/service': 'backend' }, instances: 2 }],
      },
    });
    await xds.settled();
    const zones = resources<ClusterLoadAssignment>('default.web-2', CLUSTER_LOAD_ASSIGNMENT_TYPE_URL)
      .filter((c) => c.clusterName === 'backend')
      .flatMap((c) => c.endpoints.map((l) => l.locality?.zone));
    assert.deepEqual(zones, ['zone-1', 'zone-2']);
    // Another zone's ingress adds nothing to this zone's ingress.
    assert.deepEqual(ingressEndpoints('backend{mesh=default}'), [20_001, 20_011]);
  });

  it('a disconnected ingress leaves the cache; its ZoneIngress gone means an empty config', async () => {
    await store.delete({ type: 'ZoneIngress', name: 'zi-1' });
    await xds.settled();
    assert.deepEqual(ingressSnis(), []);
    xds.ingressDisconnected('ingress/zi-1', 'zi-1');
    assert.equal(cache.get('ingress/zi-1'), undefined);
  });
});

describe('xds reconciler: startup grace period', () => {
  it('treats Dataplanes whose proxies do not reconnect after a restart as offline', async () => {
    let offlineChanges = 0;
    const { xds, cache, stop } = await startReconcilerRig(
      [
        { type: 'Mesh', name: 'default', spec: {} },
        dataplane('backend-1', 'backend', 20_001),
        dataplane('backend-2', 'backend', 20_011),
        dataplane('web-1', 'web', 21_001, 'backend'),
      ],
      { startupGraceMs: 200, onOfflineChanged: () => offlineChanges++ },
    );
    const backendPorts = (): number[] => endpointPorts(cache, 'default.web-1', 'backend');
    try {
      xds.proxyConnected('default.web-1', 'default', 'web-1');
      xds.proxyConnected('default.backend-1', 'default', 'backend-1');
      await xds.settled();
      // Within the grace period every stored Dataplane counts: backend-2's proxy may still reconnect.
      assert.deepEqual(backendPorts(), [20_001, 20_011]);
      assert.equal(xds.isOffline('default', 'backend-2'), false);
      const deadline = Date.now() + 5_000;
      while (!xds.isOffline('default', 'backend-2')) {
        assert.ok(Date.now() < deadline, 'backend-2 was never marked offline');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await xds.settled();
      assert.deepEqual(backendPorts(), [20_001]);
      assert.equal(xds.isOffline('default', 'backend-1'), false);
      assert.equal(xds.isOffline('default', 'web-1'), false);
      assert.equal(offlineChanges, 1);
      // Its proxy connecting late brings it back.
      xds.proxyConnected('default.backend-2', 'default', 'backend-2');
      await xds.settled();
      assert.deepEqual(backendPorts(), [20_001, 20_011]);
    } finally {
      await stop();
    }
  });
});

describe('xds reconciler: zone ingress presence', () => {
  it('counts an ingress offline only after its stream stayed closed for ingressOfflineAfterMs', async () => {
    const ingress = (name: string): ResourceInput => ({
      type: 'ZoneIngress',
      name,
      spec: { zone: 'zone-1', networking: { address: '127.0.0.1', port: 10_001 } },
    });
    const changes: string[][] = [];
    const names = ['zi-a', 'zi-b', 'zi-never', 'zi-other-zone'];
    let xds: XdsReconciler | undefined;
    const waitChanges = async (count: number): Promise<string[]> => {
      const deadline = Date.now() + 5_000;
      while (changes.length < count) {
        assert.ok(Date.now() < deadline, `waited for offline change ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return changes[count - 1] ?? [];
    };
    const rig = await startReconcilerRig(
      [
        { type: 'Mesh', name: 'default', spec: {} },
        ingress('zi-a'),
        ingress('zi-b'),
        ingress('zi-never'),
        {
          type: 'ZoneIngress',
          name: 'zi-other-zone',
          labels: { 'kuma.io/origin': 'global', 'kuma.io/zone': 'zone-2' },
          spec: { zone: 'zone-2', networking: { address: '10.0.0.9', port: 10_001 } },
        },
      ],
      {
        startupGraceMs: 150,
        ingressOfflineAfterMs: 100,
        onOfflineChanged: () => changes.push(names.filter((n) => xds?.isIngressOffline(n) === true)),
      },
    );
    xds = rig.xds;
    const { store } = rig;
    try {
      xds.ingressConnected('ingress/zi-a', 'zi-a');
      xds.ingressConnected('ingress/zi-b', 'zi-b');
      // The startup grace ends: only this zone's ingress that never connected is offline.
      assert.deepEqual(await waitChanges(1), ['zi-never']);
      // A stream that closes and reopens at once changes nothing.
      xds.ingressDisconnected('ingress/zi-b', 'zi-b');
      xds.ingressConnected('ingress/zi-b-2', 'zi-b');
      xds.ingressDisconnected('ingress/zi-a', 'zi-a');
      assert.deepEqual(await waitChanges(2), ['zi-a', 'zi-never']);
      xds.ingressConnected('ingress/zi-a-2', 'zi-a');
      assert.deepEqual(await waitChanges(3), ['zi-never']);
      await store.delete({ type: 'ZoneIngress', name: 'zi-never' });
      await xds.settled();
      assert.equal(xds.isIngressOffline('zi-never'), false);
      assert.equal(changes.length, 3);
    } finally {
      await rig.stop();
    }
  });
});
