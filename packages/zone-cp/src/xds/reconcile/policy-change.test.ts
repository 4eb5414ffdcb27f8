/**
 * The reconciler when only policies change (memory store, real snapshot cache, real mesh CA):
 * such a pass reads only the mesh's policies again and keeps everything else it derived, so it
 * must re-render the inbound RBAC and leave other config as it was, and must never keep a
 * Dataplane change that happened before, with, or after the policy change out of the config.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toJsonString } from '@bufbuild/protobuf';
import { anyUnpack } from '@bufbuild/protobuf/wkt';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  envoyRegistry,
  LISTENER_TYPE_URL,
  type Listener,
  ListenerSchema,
  SECRET_TYPE_URL,
} from '@strait/proto/envoy';
import type { ResourceStore } from '@strait/shared';
import type { SnapshotCache } from '../cache/index.js';
import {
  MTLS_MESH,
  endpointPorts as portsOf,
  type ReconcilerRig,
  startReconcilerRig,
  testDataplane,
} from './reconcile-test-kit.js';
import type { XdsReconciler } from './xds-reconciler.js';

const dataplane = (name: string, service: string, port: number, outbound?: string) =>
  testDataplane(name, service, port, {
    tags: { 'kuma.io/protocol': 'http' },
    ...(outbound === undefined ? {} : { outbound }),
  });

/** The mesh-wide permission, allowing everyone except the callers of `denied` services. */
const permission = (...denied: string[]) => ({
  type: 'MeshTrafficPermission',
  mesh: 'default',
  name: 'allow-all',
  spec: {
    targetRef: { kind: 'Mesh' },
    from: [
      { targetRef: { kind: 'Mesh' }, default: { action: 'Allow' } },
      ...denied.map((service) => ({
        targetRef: { kind: 'MeshSubset', tags: { 'kuma.io/service': service } },
        default: { action: 'Deny' },
      })),
    ],
  },
});

describe('xds reconciler: policy-only changes', () => {
  let rig: ReconcilerRig;
  let store: ResourceStore;
  let cache: SnapshotCache;
  let xds: XdsReconciler;

  /** The proxy's inbound listener as Envoy's JSON (RBAC included). */
  const inboundJson = (proxyId: string, port: number): string => {
    const resource = cache.get(proxyId)?.types.get(LISTENER_TYPE_URL)?.resources.get(`inbound:127.0.0.1:${port}`);
    assert.ok(resource, `${proxyId} has an inbound listener on ${port}`);
    return toJsonString(ListenerSchema, anyUnpack(resource.resource, envoyRegistry) as Listener, {
      registry: envoyRegistry,
    });
  };
  /** Ports of the endpoints of `cluster` that the proxy gets over EDS. */
  const endpointPorts = (proxyId: string, cluster: string): number[] => portsOf(cache, proxyId, cluster);

  before(async () => {
    rig = await startReconcilerRig([
      MTLS_MESH,
      permission(),
      dataplane('backend-1', 'backend', 20_001),
      dataplane('web-1', 'web', 21_001, 'backend'),
    ]);
    ({ store, cache, xds } = rig);
    xds.proxyConnected('default.web-1', 'default', 'web-1');
    xds.proxyConnected('default.backend-1', 'default', 'backend-1');
    await xds.settled();
  });
  after(() => rig.stop());

  it('re-renders the inbound RBAC and keeps clusters, endpoints and secrets as they were', async () => {
    const before = cache.get('default.backend-1');
    assert.ok(before);
    assert.doesNotMatch(inboundJson('default.backend-1', 20_001), /spiffe:\/\/default\/intruder/);

    await store.update(permission('intruder'));
    await xds.settled();

    const after = cache.get('default.backend-1');
    assert.ok(after);
    assert.match(inboundJson('default.backend-1', 20_001), /spiffe:\/\/default\/intruder/);
    assert.notEqual(after.types.get(LISTENER_TYPE_URL)?.version, before.types.get(LISTENER_TYPE_URL)?.version);
    for (const type of [CLUSTER_TYPE_URL, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, SECRET_TYPE_URL]) {
      assert.equal(after.types.get(type), before.types.get(type), `${type} is the same object`);
    }
  });

  it('takes in a Dataplane change made in the same pass as a policy change, before or after it', async () => {
    await store.create(dataplane('backend-2', 'backend', 20_011));
    await store.update(permission('intruder', 'mallory'));
    await xds.settled();
    assert.deepEqual(endpointPorts('default.web-1', 'backend'), [20_001, 20_011]);
    assert.match(inboundJson('default.backend-1', 20_001), /spiffe:\/\/default\/mallory/);

    await store.update(permission('intruder'));
    await store.delete({ type: 'Dataplane', mesh: 'default', name: 'backend-2' });
    await xds.settled();
    assert.deepEqual(endpointPorts('default.web-1', 'backend'), [20_001]);
    assert.doesNotMatch(inboundJson('default.backend-1', 20_001), /mallory/);
    await store.create(dataplane('backend-2', 'backend', 20_011));
    await store.update(permission('intruder', 'mallory'));
    await xds.settled();
    assert.deepEqual(endpointPorts('default.web-1', 'backend'), [20_001, 20_011]);
  });

  it('keeps Dataplane changes of earlier passes when a later pass reads only the policies', async () => {
    await store.create(dataplane('backend-3', 'backend', 20_021));
    await xds.settled();
    assert.deepEqual(endpointPorts('default.web-1', 'backend'), [20_001, 20_011, 20_021]);

    await store.update(permission());
    await xds.settled();
    assert.deepEqual(endpointPorts('default.web-1', 'backend'), [20_001, 20_011, 20_021]);
    assert.doesNotMatch(inboundJson('default.backend-1', 20_001), /mallory|intruder/);

    // A proxy that connects after the policy-only pass gets the current config.
    xds.proxyConnected('default.backend-3', 'default', 'backend-3');
    await xds.settled();
    assert.doesNotMatch(inboundJson('default.backend-3', 20_021), /mallory|intruder/);
    await store.update(permission('eve'));
    await xds.settled();
    assert.match(inboundJson('default.backend-3', 20_021), /spiffe:\/\/default\/eve/);
    assert.deepEqual(endpointPorts('default.web-1', 'backend'), [20_001, 20_011, 20_021]);
  });

  it('takes a proxy going offline out of EDS even when a policy changes just before', async () => {
    await store.update(permission('trent'));
    xds.proxyDisconnected('default.backend-3', 'default', 'backend-3');
    await xds.settled();
    assert.deepEqual(endpointPorts('default.web-1', 'backend'), [20_001, 20_011]);
    assert.match(inboundJson('default.backend-1', 20_001), /spiffe:\/\/default\/trent/);
  });
});
