import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insightSpec } from '../testing/fixtures.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';

const inbound = (service: string, ready = true) => ({
  port: 8080,
  tags: { 'kuma.io/service': service },
  ...(ready ? {} : { health: { ready: false } }),
});

describe('/global-insight', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi({ mode: 'global' });
    const { store } = t;
    for (const mesh of ['m1', 'm2']) await store.create({ type: 'Mesh', name: mesh, spec: {} });
    const dp = async (mesh: string, name: string, spec: object, insight?: object) => {
      await store.create({ type: 'Dataplane', mesh, name, spec });
      if (insight !== undefined) await store.create({ type: 'DataplaneInsight', mesh, name, spec: insight });
    };
    const net = (inbounds: object[]) => ({ networking: { address: '10.0.0.1', inbound: inbounds } });
    await dp('m1', 'web-1', net([inbound('web')]), insightSpec()); // online
    await dp('m1', 'web-2', net([inbound('web')]), insightSpec(true)); // offline → web degraded
    await dp('m1', 'api-1', net([inbound('api', false)]), insightSpec()); // partially degraded
    await dp('m2', 'db-1', net([inbound('db')])); // no insight: offline
    await dp(
      'm2',
      'gw-1',
      { networking: { address: '10.0.0.2', gateway: { tags: { 'kuma.io/service': 'edge' } } } },
      insightSpec(),
    );
    await store.create({ type: 'Zone', name: 'z1', spec: { enabled: true } });
    await store.create({ type: 'ZoneInsight', name: 'z1', spec: insightSpec() });
    await store.create({ type: 'Zone', name: 'z2', spec: { enabled: true } });
    await store.create({ type: 'ZoneInsight', name: 'z2', spec: insightSpec(true) });
    await store.create({ type: 'ZoneIngress', name: 'i1', spec: { networking: { address: '10.0.0.3', port: 10001 } } });
    const policy = t.registry.all().find((d) => d.isPolicy);
    if (policy !== undefined) {
      await store.create({ type: policy.name, mesh: 'm1', name: 'p1', spec: {} });
      await store.create({ type: policy.name, mesh: 'm2', name: 'p2', spec: {} });
    }
  });
  after(() => t.close());

  it('counts meshes, zones, proxies, services, policies and resources', async () => {
    const res = await t.request('GET', '/global-insight');
    assert.equal(res.status, 200);
    const g = res.body;
    assert.ok(!Number.isNaN(Date.parse(g.createdAt)));
    assert.deepEqual(g.meshes, { total: 2 });
    assert.deepEqual(g.zones.controlPlanes, { total: 2, online: 1 });
    assert.deepEqual(g.zones.zoneIngresses, { total: 1, online: 0 });
    assert.deepEqual(g.zones.zoneEgresses, { total: 0, online: 0 });
    assert.deepEqual(g.dataplanes.standard, { total: 4, online: 1, offline: 2, partiallyDegraded: 1 });
    assert.deepEqual(g.dataplanes.gatewayDelegated, { total: 1, online: 1, offline: 0, partiallyDegraded: 0 });
    assert.deepEqual(g.dataplanes.gatewayBuiltin, { total: 0, online: 0, offline: 0, partiallyDegraded: 0 });
    // web: one of two instances online → degraded; api: its only inbound is not ready → offline; db: offline
    assert.deepEqual(g.services.internal, { total: 3, online: 0, offline: 2, partiallyDegraded: 1 });
    assert.deepEqual(g.services.gatewayDelegated, { total: 1, online: 1, offline: 0, partiallyDegraded: 0 });
    assert.equal(g.services.total, 3);
    const hasPolicy = t.registry.all().some((d) => d.isPolicy);
    assert.deepEqual(g.policies, { total: hasPolicy ? 2 : 0 });
    assert.deepEqual(g.resources.Dataplane, { total: 5 });
    assert.deepEqual(g.resources.Mesh, { total: 2 });
    assert.equal(Object.keys(g.resources).length, t.registry.all().length);
  });
});
