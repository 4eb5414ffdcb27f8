import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
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

describe('global → zone flow: what is withheld', () => {
  it('withholds what a disabled zone synced up, and says when that changes', () => {
    const disabled = new Set<string>();
    const listeners = new Set<() => void>();
    const send = globalToZoneSendFlow({
      registry,
      zone: 'zone-1',
      withheldZones: {
        has: (zone) => disabled.has(zone),
        subscribe(listener) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      },
    });
    const fromZone2 = ingress({ 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-2' });
    const zone2Policy = policy({ 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-2' });
    let changes = 0;
    const unwatch = send.watch?.(() => {
      changes += 1;
    });
    assert.equal(send.select(fromZone2), true);
    disabled.add('zone-2');
    for (const listener of listeners) listener();
    assert.equal(changes, 1);
    assert.equal(send.select(fromZone2), false, 'a disabled zone’s ingress is withheld');
    assert.equal(send.select(zone2Policy), false, 'and so is every other resource it synced up');
    assert.equal(send.select(policy()), true, 'the global’s own resources still go down');
    unwatch?.();
    assert.equal(listeners.size, 0);
  });

  it('sends a token signing key as its public key only; the zone refuses a private one', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const key = stored({
      type: 'GlobalSecret',
      name: 'dataplane-token-signing-key-3',
      spec: { data: Buffer.from(pem).toString('base64') },
    });
    const send = globalToZoneSendFlow({ registry, zone: 'zone-1' });
    assert.equal(send.select(key), true);
    const mapped = send.map(key);
    assert.equal(mapped.name, 'dataplane-token-signing-public-key-3');
    const data = Buffer.from((mapped.spec as { data: string }).data, 'base64').toString('utf8');
    assert.match(data, /^-----BEGIN PUBLIC KEY-----/);
    assert.doesNotMatch(data, /PRIVATE/);
    const unreadable = stored({ type: 'GlobalSecret', name: 'user-token-signing-key-1', spec: { data: 'eA==' } });
    assert.equal(send.select(unreadable), false, 'never sent as it is');

    const receive = globalToZoneReceiveFlow({ registry, zone: 'zone-1' });
    const incoming = (name: string): ResourceInput => ({
      type: 'GlobalSecret',
      name,
      labels: { 'kuma.io/origin': 'global' },
      spec: { data: 'eA==' },
    });
    assert.deepEqual(receive.check(incoming('dataplane-token-signing-public-key-3')), []);
    assert.match(receive.check(incoming('dataplane-token-signing-key-3')).join(), /private token signing key/);
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
