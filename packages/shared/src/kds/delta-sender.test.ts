import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeltaDiscoveryResponse } from '@strait/proto/envoy';
import { builtinRegistry } from '../resources/index.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { ResourceStore } from '../store/store.js';
import { createDeltaSender, type DeltaSender } from './delta-sender.js';
import { globalToZoneSendFlow } from './global-to-zone-flow.js';
import { encodeKdsResource } from './kds-envelope.js';
import { kdsHashedName } from './kds-hashed-name.js';
import type { KdsSyncOptions } from './kds-sync-options.js';
import { ack, mtp, nack, settle, subscribe, testLog, testSync, waitFor } from './kds-test-helpers.js';

const flow = globalToZoneSendFlow({ registry: builtinRegistry, zone: 'zone-1' });

async function globalStore(...policies: string[]): Promise<ResourceStore> {
  const store = createMemoryStore();
  await store.create({ type: 'Mesh', name: 'default', spec: {} });
  for (const name of policies) await store.create(mtp(name));
  return store;
}

/** The wire name and version the sender computes for a stored policy. */
async function wireOf(store: ResourceStore, name: string) {
  const resource = await store.get({ type: 'MeshTrafficPermission', mesh: 'default', name });
  assert.ok(resource);
  return encodeKdsResource(flow.map(resource));
}

function startSender(store: ResourceStore, sync: KdsSyncOptions = {}, writable: () => boolean = () => true) {
  const written: DeltaDiscoveryResponse[] = [];
  const sender: DeltaSender = createDeltaSender({
    store,
    flow,
    sync: testSync(sync),
    log: testLog,
    events: {},
    write: (response) => {
      written.push(response);
      return writable();
    },
  });
  return { sender, written };
}

const policyName = (name: string) => `default/${kdsHashedName('default', name)}`;

describe('delta sender', () => {
  it('sends only what differs from initial_resource_versions and removes only what the store lacks', async () => {
    const store = await globalStore('same', 'changed', 'new');
    const { sender, written } = startSender(store);
    const same = await wireOf(store, 'same');
    sender.handleRequest(
      subscribe('MeshTrafficPermission', {
        [same.name]: same.version,
        [policyName('changed')]: 'an-older-version',
        [policyName('gone')]: 'whatever',
      }),
    );
    const [response] = await waitFor('a response', () => written.length > 0 && written);
    assert.deepEqual(response?.resources.map((r) => r.name).sort(), [policyName('changed'), policyName('new')].sort());
    assert.deepEqual(response?.removedResources, [policyName('gone')]);
    sender.close();
  });

  it('keeps one response in flight per type and folds later changes into the next', async () => {
    const store = await globalStore('a');
    const { sender, written } = startSender(store);
    sender.handleRequest(subscribe('MeshTrafficPermission'));
    await waitFor('the first response', () => written.length === 1);
    await store.create(mtp('b'));
    await store.update(mtp('a', 'Deny'));
    await store.create(mtp('c'));
    await store.delete({ type: 'MeshTrafficPermission', mesh: 'default', name: 'c' });
    await settle();
    assert.equal(written.length, 1, 'nothing more until the ACK');
    sender.handleRequest(ack(written[0] as DeltaDiscoveryResponse));
    const second = await waitFor('the second response', () => written[1]);
    assert.deepEqual(second.resources.map((r) => r.name).sort(), [policyName('a'), policyName('b')].sort());
    assert.deepEqual(second.removedResources, [], 'c was never held by the receiver: nothing to remove');
    sender.close();
  });

  it('splits a large type into responses under maxMessageBytes, each after the previous ACK', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `policy-${i}`);
    const store = await globalStore(...names);
    const { sender, written } = startSender(store, { maxMessageBytes: 1_024 });
    sender.handleRequest(subscribe('MeshTrafficPermission'));
    const received = new Set<string>();
    while (received.size < names.length) {
      const next = await waitFor('the next response', () => written[written.length - 1]);
      for (const r of next.resources) received.add(r.name);
      assert.ok(next.resources.length > 0);
      const count = written.length;
      sender.handleRequest(ack(next));
      if (received.size < names.length) await waitFor('another response', () => written.length > count);
    }
    assert.ok(written.length >= 4, `${written.length} responses`);
    sender.close();
  });

  it('does not offer a NACKed version again until it changes or the retry time passes', async () => {
    const store = await globalStore('a');
    const { sender, written } = startSender(store, { nackRetryMs: 150 });
    sender.handleRequest(subscribe('MeshTrafficPermission'));
    const first = await waitFor('a response', () => written[0]);
    sender.handleRequest(nack(first));
    await settle(50);
    assert.equal(written.length, 1);
    await store.update(mtp('a', 'Deny'));
    const second = await waitFor('the changed version', () => written[1]);
    assert.notEqual(second.resources[0]?.version, first.resources[0]?.version);
    sender.handleRequest(nack(second));
    const retried = await waitFor('the retry', () => written[2]);
    assert.equal(retried.resources[0]?.version, second.resources[0]?.version);
    sender.close();
  });

  it('holds mesh-scoped types back until global-scoped ones are delivered', async () => {
    const store = await globalStore('a');
    const { sender, written } = startSender(store);
    sender.handleRequest(subscribe('Mesh'));
    sender.handleRequest(subscribe('MeshTrafficPermission'));
    await waitFor('the Mesh', () => written.length === 1);
    await settle();
    assert.deepEqual(
      written.map((r) => r.typeUrl),
      ['Mesh'],
    );
    sender.handleRequest(ack(written[0] as DeltaDiscoveryResponse));
    await waitFor('the policy', () => written.length === 2);
    assert.equal(written[1]?.typeUrl, 'MeshTrafficPermission');
    sender.close();
  });

  it('writes nothing while the transport is full, until resumed', async () => {
    const store = await globalStore('a');
    let full = true;
    const { sender, written } = startSender(store, {}, () => !full);
    sender.handleRequest(subscribe('Mesh'));
    sender.handleRequest(subscribe('MeshTrafficPermission'));
    await waitFor('the Mesh', () => written.length === 1);
    sender.handleRequest(ack(written[0] as DeltaDiscoveryResponse));
    await settle();
    assert.equal(written.length, 1, 'blocked');
    full = false;
    sender.resume();
    await waitFor('the policy', () => written.length === 2);
    sender.close();
  });

  it('never removes anything while its listing of the store failed', async () => {
    const store = await globalStore('a');
    let failures = 1;
    const flaky: ResourceStore = {
      ...store,
      list: async (query) => {
        if (failures-- > 0) throw new Error('database is locked');
        return store.list(query);
      },
      subscribe: (listener) => store.subscribe(listener),
      revision: () => store.revision(),
    };
    const { sender, written } = startSender(flaky, { nackRetryMs: 100 });
    const a = await wireOf(store, 'a');
    sender.handleRequest(subscribe('MeshTrafficPermission', { [a.name]: a.version, [policyName('b')]: 'v' }));
    await settle(50);
    assert.equal(written.length, 0);
    const response = await waitFor('the response after the retry', () => written[0]);
    assert.deepEqual(response.removedResources, [policyName('b')]);
    assert.deepEqual(response.resources, []);
    sender.close();
  });
});
