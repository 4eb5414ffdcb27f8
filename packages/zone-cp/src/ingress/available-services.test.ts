import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource } from '@strait/shared';
import { computeAvailableServices, sameAvailableServices } from './available-services.js';
import { localInstances } from './local-instances.js';

let version = 0;

/** A stored Dataplane with one inbound per tag set (`ready: false` marks an unhealthy inbound). */
function dataplane(
  mesh: string,
  name: string,
  inbounds: Array<{ tags: Record<string, string>; ready?: boolean }>,
  labels: Record<string, string> = {},
): Resource {
  version++;
  return {
    type: 'Dataplane',
    meta: { mesh, name, labels, version, creationTime: '', modificationTime: '' },
    spec: {
      networking: {
        address: '10.0.0.1',
        inbound: inbounds.map((inbound, i) => ({
          port: 20_000 + i,
          tags: inbound.tags,
          ...(inbound.ready === undefined ? {} : { health: { ready: inbound.ready } }),
        })),
      },
    },
  } as unknown as Resource;
}

const online = { zone: 'zone-1', isOffline: () => false };
const svc = (service: string, extra: Record<string, string> = {}) => ({ 'kuma.io/service': service, ...extra });

describe('computeAvailableServices', () => {
  it('groups ready inbounds by mesh and full tag set (with kuma.io/zone), counting instances', () => {
    const dps = [
      dataplane('default', 'backend-1', [{ tags: svc('backend', { version: 'v1' }) }]),
      dataplane('default', 'backend-2', [{ tags: svc('backend', { version: 'v1' }) }]),
      dataplane('default', 'backend-3', [{ tags: svc('backend', { version: 'v2' }) }]),
      dataplane('other', 'backend-1', [{ tags: svc('backend', { version: 'v1' }) }]),
      dataplane('default', 'multi', [{ tags: svc('web') }, { tags: svc('admin') }]),
    ];
    assert.deepEqual(computeAvailableServices(localInstances(dps, online)), [
      { mesh: 'default', tags: { 'kuma.io/service': 'admin', 'kuma.io/zone': 'zone-1' }, instances: 1 },
      {
        mesh: 'default',
        tags: { 'kuma.io/service': 'backend', 'kuma.io/zone': 'zone-1', version: 'v1' },
        instances: 2,
      },
      {
        mesh: 'default',
        tags: { 'kuma.io/service': 'backend', 'kuma.io/zone': 'zone-1', version: 'v2' },
        instances: 1,
      },
      { mesh: 'default', tags: { 'kuma.io/service': 'web', 'kuma.io/zone': 'zone-1' }, instances: 1 },
      {
        mesh: 'other',
        tags: { 'kuma.io/service': 'backend', 'kuma.io/zone': 'zone-1', version: 'v1' },
        instances: 1,
      },
    ]);
  });

  it('leaves out unready inbounds, offline proxies and Dataplanes of other zones', () => {
    const dps = [
      dataplane('default', 'ready', [{ tags: svc('backend') }, { tags: svc('backend'), ready: false }]),
      dataplane('default', 'explicitly-ready', [{ tags: svc('backend'), ready: true }]),
      dataplane('default', 'gone', [{ tags: svc('backend') }]),
      dataplane('default', 'elsewhere', [{ tags: svc('backend') }], { 'kuma.io/zone': 'zone-2' }),
    ];
    const isOffline = (mesh: string, name: string) => mesh === 'default' && name === 'gone';
    assert.deepEqual(computeAvailableServices(localInstances(dps, { zone: 'zone-1', isOffline })), [
      { mesh: 'default', tags: { 'kuma.io/service': 'backend', 'kuma.io/zone': 'zone-1' }, instances: 2 },
    ]);
  });

  it('is independent of input order (byte-identical JSON)', () => {
    const dps = [
      dataplane('default', 'a', [{ tags: { version: 'v1', 'kuma.io/service': 'b' } }]),
      dataplane('default', 'c', [{ tags: svc('a') }]),
      dataplane('default', 'b', [{ tags: svc('b', { version: 'v1' }) }]),
    ];
    const forward = JSON.stringify(computeAvailableServices(localInstances(dps, online)));
    const backward = JSON.stringify(computeAvailableServices(localInstances([...dps].reverse(), online)));
    assert.equal(forward, backward);
  });
});

describe('sameAvailableServices', () => {
  const computed = computeAvailableServices(
    localInstances([dataplane('default', 'a', [{ tags: svc('backend', { version: 'v1' }) }])], online),
  );

  it('accepts the stored form with tags in another key order and extra fields', () => {
    const stored = [
      {
        mesh: 'default',
        instances: 1,
        externalService: false,
        tags: { version: 'v1', 'kuma.io/zone': 'zone-1', 'kuma.io/service': 'backend' },
      },
    ];
    assert.equal(sameAvailableServices(stored, computed), true);
  });

  it('notices a different count, tag, mesh or length', () => {
    const base = { mesh: 'default', instances: 1, tags: computed[0]?.tags };
    assert.equal(sameAvailableServices([{ ...base, instances: 2 }], computed), false);
    assert.equal(sameAvailableServices([{ ...base, mesh: 'other' }], computed), false);
    assert.equal(sameAvailableServices([{ ...base, tags: svc('backend') }], computed), false);
    assert.equal(sameAvailableServices([], computed), false);
    assert.equal(sameAvailableServices(undefined, []), true);
  });
});
