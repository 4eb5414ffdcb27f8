import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource, ResourceInput } from '../model/resource.js';
import { builtinRegistry } from '../resources/index.js';
import { globalToZoneReceiveFlow, globalToZoneSendFlow } from './global-to-zone-flow.js';
import { kdsHashedName } from './kds-hashed-name.js';
import { globalToZoneTypes, zoneToGlobalTypes } from './kds-types.js';
import { zoneToGlobalReceiveFlow, zoneToGlobalSendFlow } from './zone-to-global-flow.js';

const registry = builtinRegistry;

function stored(input: ResourceInput, owner?: Resource['meta']['owner']): Resource {
  return {
    type: input.type,
    meta: {
      name: input.name,
      ...(input.mesh === undefined ? {} : { mesh: input.mesh }),
      labels: input.labels ?? {},
      version: 7,
      creationTime: '2024-01-01T00:00:00.000Z',
      modificationTime: '2024-01-01T00:00:00.000Z',
      ...(owner === undefined ? {} : { owner }),
    },
    spec: input.spec,
  };
}

const policy = (labels: Record<string, string> = {}) =>
  stored({ type: 'MeshTimeout', mesh: 'default', name: 'timeouts', labels, spec: {} });
const ingress = (labels: Record<string, string> = {}) =>
  stored({ type: 'ZoneIngress', name: 'ingress-abc', labels, spec: {} });

describe('KDS type sets', () => {
  it('orders global-scoped types first and relays ZoneIngress down', () => {
    const down = globalToZoneTypes(registry).map((d) => d.name);
    assert.deepEqual(down.slice(0, 3), ['Mesh', 'ZoneIngress', 'GlobalSecret']);
    assert.ok(down.includes('MeshTrafficPermission') && down.includes('Secret'));
    assert.ok(!down.includes('Dataplane') && !down.includes('Zone') && !down.includes('ZoneInsight'));
    const up = zoneToGlobalTypes(registry).map((d) => d.name);
    assert.deepEqual(up.slice(0, 2), ['ZoneIngress', 'ZoneIngressInsight']);
    assert.ok(up.includes('Dataplane') && up.includes('DataplaneInsight') && up.includes('MeshTimeout'));
    assert.ok(!up.includes('Mesh') && !up.includes('Secret'));
  });
});

describe('global → zone flow', () => {
  const send = globalToZoneSendFlow({ registry, zone: 'zone-1' });
  const receive = globalToZoneReceiveFlow({ registry, zone: 'zone-1' });

  it('sends everything but the receiving zone’s own resources; relays only other zones’ ingresses', () => {
    assert.equal(send.select(policy()), true);
    assert.equal(send.select(policy({ 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-2' })), true);
    assert.equal(send.select(policy({ 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-1' })), false);
    assert.equal(send.select(ingress({ 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-2' })), true);
    assert.equal(send.select(ingress({ 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-1' })), false);
    assert.equal(send.select(ingress()), false);
    assert.equal(send.select(stored({ type: 'Dataplane', mesh: 'default', name: 'dp', spec: {} })), false);
  });

  it('hash-suffixes policies (with the origin zone when relayed) and keeps other names', () => {
    const global = send.map(policy());
    assert.equal(global.name, kdsHashedName('default', 'timeouts'));
    assert.deepEqual(global.labels, { 'kuma.io/origin': 'global', 'kuma.io/display-name': 'timeouts' });
    const relayed = send.map(
      policy({ 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-2', 'kuma.io/display-name': 'local' }),
    );
    assert.equal(relayed.name, kdsHashedName('default', 'local', 'zone-2'));
    assert.equal(relayed.labels['kuma.io/zone'], 'zone-2');
    assert.equal(relayed.labels['kuma.io/origin'], 'global');
    assert.equal(send.map(stored({ type: 'Mesh', name: 'default', spec: {} })).name, 'default');
    assert.equal(send.map(ingress({ 'kuma.io/zone': 'zone-2', 'kuma.io/origin': 'zone' })).name, 'ingress-abc');
  });

  it('on the zone, refuses its own resources and protects local configuration', () => {
    const input = (labels: Record<string, string>): ResourceInput => ({
      type: 'MeshTimeout',
      mesh: 'default',
      name: 'x',
      labels,
      spec: {},
    });
    assert.deepEqual(receive.check(input({ 'kuma.io/origin': 'global' })), []);
    assert.equal(receive.check(input({})).length, 1);
    assert.match(
      receive.check(input({ 'kuma.io/origin': 'global', 'kuma.io/zone': 'zone-1' })).join(),
      /own resources/,
    );
    assert.match(
      receive.check({ type: 'ZoneIngress', name: 'i', labels: { 'kuma.io/origin': 'global' }, spec: {} }).join(),
      /another zone's copy/,
    );
    assert.equal(receive.holds(policy({ 'kuma.io/origin': 'global' })), true);
    assert.equal(receive.holds(policy()), false, 'a zone-local policy is never replaced or deleted');
    assert.equal(receive.holds(stored({ type: 'Mesh', name: 'default', spec: {} })), true, 'the global owns meshes');
  });
});

describe('zone → global flow', () => {
  const send = zoneToGlobalSendFlow({ registry, zone: 'zone-1' });
  const receive = zoneToGlobalReceiveFlow({ registry, zone: 'zone-1' });

  it('sends what the zone created, labelled and hash-suffixed with the zone', () => {
    const dp = stored({ type: 'Dataplane', mesh: 'default', name: 'dp-1', labels: { app: 'web' }, spec: {} });
    assert.equal(send.select(dp), true);
    assert.equal(send.select(policy({ 'kuma.io/origin': 'global' })), false);
    const mapped = send.map(dp);
    assert.equal(mapped.name, kdsHashedName('default', 'dp-1', 'zone-1'));
    assert.deepEqual(mapped.labels, {
      app: 'web',
      'kuma.io/origin': 'zone',
      'kuma.io/zone': 'zone-1',
      'kuma.io/display-name': 'dp-1',
    });
    assert.equal(
      send.map(stored({ type: 'ZoneIngress', name: 'ingress', spec: {} })).name,
      kdsHashedName('', 'ingress', 'zone-1'),
    );
  });

  it('on the global, accepts only the authenticated zone’s correctly named copies and owns them by its Zone', () => {
    const good: ResourceInput = {
      type: 'Dataplane',
      mesh: 'default',
      name: kdsHashedName('default', 'dp-1', 'zone-1'),
      labels: { 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-1', 'kuma.io/display-name': 'dp-1' },
      spec: {},
    };
    assert.deepEqual(receive.check(good), []);
    assert.match(
      receive.check({ ...good, labels: { ...good.labels, 'kuma.io/zone': 'zone-2' } }).join(),
      /authenticated as zone zone-1/,
    );
    assert.match(receive.check({ ...good, name: 'dp-1' }).join(), /name must be/);
    assert.match(receive.check({ ...good, labels: { 'kuma.io/zone': 'zone-1' } }).join(), /kuma\.io\/origin/);
    assert.deepEqual(receive.toStored(good).owner, { type: 'Zone', name: 'zone-1' });
    const ours = stored(receive.toStored(good), { type: 'Zone', name: 'zone-1' });
    assert.equal(receive.holds(ours), true);
    assert.equal(receive.holds(stored(good)), false, 'not owned by the Zone: not a synced copy');
    assert.equal(receive.holds(stored(good, { type: 'Zone', name: 'zone-2' })), false);
  });
});
