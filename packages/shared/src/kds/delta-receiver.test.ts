import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../store/memory-store.js';
import type { ResourceStore } from '../store/store.js';
import { kdsHashedName } from './kds-hashed-name.js';
import { mtp } from './kds-test-helpers.js';
import { onWire, startReceiver } from './receiver-test-kit.js';

async function zoneStore(): Promise<ResourceStore> {
  const store = createMemoryStore();
  await store.create({ type: 'Mesh', name: 'default', labels: { 'kuma.io/origin': 'global' }, spec: {} });
  return store;
}

describe('delta receiver', () => {
  it('subscribes in apply order, listing only the copies it holds from the peer, node on the first request', async () => {
    const store = await zoneStore();
    await store.create(mtp('local'));
    const { receiver, written, respond } = startReceiver(store);
    await receiver.start();
    assert.equal(written[0]?.typeUrl, 'Mesh');
    assert.equal(written[0]?.node?.id, 'zone-1');
    assert.equal(written[1]?.node, undefined);
    assert.deepEqual(Object.keys(written[0]?.initialResourceVersions ?? {}), ['default']);
    const policies = written.find((r) => r.typeUrl === 'MeshTrafficPermission');
    assert.deepEqual(policies?.initialResourceVersions, {}, 'the zone-local policy is not the global’s');
    // After applying a copy, a fresh receiver lists it with the version the sender computes.
    const wire = onWire(mtp('from-global'));
    assert.equal(await respond('MeshTrafficPermission', [wire]), 'ACK');
    const again = startReceiver(store);
    await again.receiver.start();
    assert.deepEqual(again.written.find((r) => r.typeUrl === 'MeshTrafficPermission')?.initialResourceVersions, {
      [wire.name]: wire.version,
    });
  });

  it('applies, skips unchanged copies, and deletes only removed copies', async () => {
    const store = await zoneStore();
    const { events, respond } = startReceiver(store);
    const wire = onWire(mtp('p'));
    assert.equal(await respond('MeshTrafficPermission', [wire]), 'ACK');
    const name = kdsHashedName('default', 'p');
    assert.ok(await store.get({ type: 'MeshTrafficPermission', mesh: 'default', name }));
    const count = events.length;
    assert.equal(await respond('MeshTrafficPermission', [wire]), 'ACK');
    assert.equal(events.length, count, 'the same content is not written again');
    assert.equal(await respond('MeshTrafficPermission', [], [`default/${name}`, 'default/never-had-it']), 'ACK');
    assert.equal(await store.get({ type: 'MeshTrafficPermission', mesh: 'default', name }), undefined);
  });

  it('NACKs a response with any bad resource and writes none of it', async () => {
    const store = await zoneStore();
    const { events, respond } = startReceiver(store);
    const before = events.length;
    const good = onWire(mtp('good'));
    const own = onWire({ ...mtp('mine'), labels: { 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-1' } });
    const message = await respond('MeshTrafficPermission', [good, own]);
    assert.match(message, /a zone never takes its own resources back/);
    assert.equal(events.length, before);
    assert.match(await respond('Dataplane', []), /type Dataplane does not flow global-to-zone/);
    const huge = onWire({ ...mtp('huge'), labels: { note: 'x'.repeat(60) } });
    assert.match(
      await respond(
        'MeshTrafficPermission',
        Array.from({ length: 40 }, () => huge),
      ),
      /exceeds the limit of 8192 bytes/,
    );
  });

  it('never replaces or deletes the zone’s own configuration, but adopts types the global owns', async () => {
    const store = createMemoryStore();
    await store.create({ type: 'Mesh', name: 'default', spec: {} });
    const name = kdsHashedName('default', 'p');
    await store.create({ ...mtp(name), labels: { 'kuma.io/origin': 'zone' } });
    const { respond } = startReceiver(store);
    assert.match(
      await respond('MeshTrafficPermission', [onWire(mtp('p'))]),
      /would replace a MeshTrafficPermission that did not come from this peer/,
    );
    assert.match(
      await respond('MeshTrafficPermission', [], [`default/${name}`]),
      /would delete a MeshTrafficPermission that did not come from this peer/,
    );
    assert.ok(await store.get({ type: 'MeshTrafficPermission', mesh: 'default', name }));
    // A Mesh left from before the zone joined is the global's to define.
    assert.equal(await respond('Mesh', [onWire({ type: 'Mesh', name: 'default', spec: {} })]), 'ACK');
    assert.equal((await store.get({ type: 'Mesh', name: 'default' }))?.meta.labels['kuma.io/origin'], 'global');
  });
});
