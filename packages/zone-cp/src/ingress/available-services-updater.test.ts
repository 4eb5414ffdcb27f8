import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMemoryStore, type ResourceStore, silentLogger } from '@strait/shared';
import { type AvailableServicesUpdater, createAvailableServicesUpdater } from './available-services-updater.js';

const dataplane = (name: string, service: string, extra: Record<string, unknown> = {}) => ({
  type: 'Dataplane',
  mesh: 'default',
  name,
  spec: {
    networking: {
      address: '127.0.0.1',
      inbound: [{ port: 20_001, servicePort: 20_000, tags: { 'kuma.io/service': service }, ...extra }],
    },
  },
});

const ingress = (name: string, zone: string) => ({
  type: 'ZoneIngress',
  name,
  spec: { zone, networking: { address: '10.0.0.9', port: 10_001 } },
});

describe('available-services updater (memory store, real events)', () => {
  let store: ResourceStore;
  let updater: AvailableServicesUpdater;
  const offline = new Set<string>();
  const offlineIngresses = new Set<string>();

  const stored = async (name: string) => {
    await updater.settled();
    const r = await store.get({ type: 'ZoneIngress', name });
    assert.ok(r !== undefined, `ZoneIngress ${name} exists`);
    return { version: r.meta.version, services: (r.spec as { availableServices?: unknown }).availableServices };
  };

  before(async () => {
    store = createMemoryStore();
    await store.create({ type: 'Mesh', name: 'default', spec: {} });
    await store.create(ingress('zi-1', 'zone-1'));
    await store.create(ingress('zi-remote', 'zone-2'));
    updater = createAvailableServicesUpdater({
      store,
      logger: silentLogger(),
      zone: 'zone-1',
      isOffline: (mesh, name) => offline.has(`${mesh}/${name}`),
      isIngressOffline: (name) => offlineIngresses.has(name),
      debounceMs: 5,
      maxDelayMs: 50,
    });
    await updater.start(new AbortController().signal);
  });
  after(() => updater.stop());

  it("writes this zone's ingress from the Dataplanes, never another zone's", async () => {
    await store.create(dataplane('backend-1', 'backend'));
    await store.create(dataplane('backend-2', 'backend'));
    assert.deepEqual((await stored('zi-1')).services, [
      { mesh: 'default', tags: { 'kuma.io/service': 'backend', 'kuma.io/zone': 'zone-1' }, instances: 2 },
    ]);
    assert.equal((await stored('zi-remote')).services, undefined);
  });

  it('does not rewrite the ingress for changes that leave the list as it is', async () => {
    const before = await stored('zi-1');
    const writes = updater.writes();
    // A policy, a label on a Dataplane and a re-write of the same Dataplane: all unrelated.
    await store.create({
      type: 'MeshTrafficPermission',
      mesh: 'default',
      name: 'allow-all-2',
      spec: { targetRef: { kind: 'Mesh' }, from: [{ targetRef: { kind: 'Mesh' }, default: { action: 'Allow' } }] },
    });
    const dp = await store.get({ type: 'Dataplane', mesh: 'default', name: 'backend-1' });
    await store.update(
      { ...dataplane('backend-1', 'backend'), labels: { team: 'blue' } },
      {
        expectedVersion: dp?.meta.version ?? 0,
      },
    );
    updater.touch();
    const after = await stored('zi-1');
    assert.equal(updater.writes(), writes, 'no ZoneIngress write');
    assert.equal(after.version, before.version, 'the ZoneIngress version is unchanged');
  });

  it('follows health and proxies going offline, and counts only real changes', async () => {
    const writes = updater.writes();
    const dp = await store.get({ type: 'Dataplane', mesh: 'default', name: 'backend-2' });
    await store.update(dataplane('backend-2', 'backend', { health: { ready: false } }), {
      expectedVersion: dp?.meta.version ?? 0,
    });
    assert.deepEqual((await stored('zi-1')).services, [
      { mesh: 'default', tags: { 'kuma.io/service': 'backend', 'kuma.io/zone': 'zone-1' }, instances: 1 },
    ]);
    offline.add('default/backend-1');
    updater.touch();
    assert.deepEqual((await stored('zi-1')).services, []);
    offline.delete('default/backend-1');
    updater.touch();
    assert.deepEqual((await stored('zi-1')).services, [
      { mesh: 'default', tags: { 'kuma.io/service': 'backend', 'kuma.io/zone': 'zone-1' }, instances: 1 },
    ]);
    assert.equal(updater.writes(), writes + 3);
  });

  it('fills a newly registered ingress of this zone', async () => {
    await store.create(ingress('zi-2', 'zone-1'));
    assert.deepEqual((await stored('zi-2')).services, [
      { mesh: 'default', tags: { 'kuma.io/service': 'backend', 'kuma.io/zone': 'zone-1' }, instances: 1 },
    ]);
  });

  it('an offline ingress advertises nothing (the other ingress keeps its list); back online it advertises again', async () => {
    const backend = [
      { mesh: 'default', tags: { 'kuma.io/service': 'backend', 'kuma.io/zone': 'zone-1' }, instances: 1 },
    ];
    offlineIngresses.add('zi-2');
    updater.touch();
    assert.deepEqual((await stored('zi-2')).services, []);
    assert.deepEqual((await stored('zi-1')).services, backend);
    offlineIngresses.delete('zi-2');
    updater.touch();
    assert.deepEqual((await stored('zi-2')).services, backend);
  });
});
