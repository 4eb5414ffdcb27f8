import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dataplane, insightSpec } from '../testing/fixtures.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';

describe('overviews (resource + insight)', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi({ mode: 'global' });
    const { store } = t;
    await store.create({ type: 'Mesh', name: 'default', spec: {} });
    const { type: _t, mesh: _m, name: _n, ...dpSpec } = dataplane('default', 'dp-1');
    await store.create({ type: 'Dataplane', mesh: 'default', name: 'dp-1', labels: { app: 'web' }, spec: dpSpec });
    await store.create({ type: 'Dataplane', mesh: 'default', name: 'dp-2', spec: dpSpec });
    await store.create({ type: 'DataplaneInsight', mesh: 'default', name: 'dp-1', spec: insightSpec() });
    await store.create({ type: 'Zone', name: 'zone-1', spec: { enabled: true } });
    await store.create({ type: 'ZoneInsight', name: 'zone-1', spec: insightSpec() });
    await store.create({
      type: 'ZoneIngress',
      name: 'ingress-1',
      spec: { networking: { address: '10.0.0.9', port: 10001 } },
    });
  });
  after(() => t.close());

  it('joins each Dataplane with its insight at /meshes/{mesh}/dataplanes+insights', async () => {
    const res = await t.request('GET', '/meshes/default/dataplanes+insights');
    assert.equal(res.status, 200);
    assert.equal(res.body.total, 2);
    assert.equal(res.body.next, null);
    const [first, second] = res.body.items;
    assert.equal(first.type, 'DataplaneOverview');
    assert.equal(first.mesh, 'default');
    assert.equal(first.name, 'dp-1');
    assert.deepEqual(first.labels, { app: 'web' });
    assert.equal(typeof first.creationTime, 'string');
    assert.equal(first.dataplane.networking.address, '10.0.0.1');
    assert.deepEqual(first.dataplaneInsight, insightSpec());
    assert.deepEqual(second.dataplaneInsight, {});
  });

  it("serves the same at Kuma's _overview paths, and one item by name", async () => {
    const list = await t.request('GET', '/meshes/default/dataplanes/_overview?size=1');
    assert.equal(list.body.items.length, 1);
    assert.ok(list.body.next.includes('offset=1'));
    const one = await t.request('GET', '/meshes/default/dataplanes/dp-1/_overview');
    assert.equal(one.body.name, 'dp-1');
    const legacy = await t.request('GET', '/meshes/default/dataplanes+insights/dp-1');
    assert.deepEqual(legacy.body, one.body);
    assert.equal((await t.request('GET', '/meshes/default/dataplanes+insights/nope')).status, 404);
    assert.equal((await t.request('GET', '/meshes/nope/dataplanes+insights')).status, 404);
  });

  it('joins zones and zone ingresses with their insights', async () => {
    const zones = await t.request('GET', '/zones+insights');
    assert.equal(zones.status, 200);
    assert.equal(zones.body.items[0].type, 'ZoneOverview');
    assert.deepEqual(zones.body.items[0].zone, { enabled: true });
    assert.deepEqual(zones.body.items[0].zoneInsight, insightSpec());
    const ingresses = await t.request('GET', '/zoneingresses+insights');
    assert.equal(ingresses.status, 200);
    assert.equal(ingresses.body.items[0].type, 'ZoneIngressOverview');
    assert.equal(ingresses.body.items[0].zoneIngress.networking.port, 10001);
    assert.deepEqual(ingresses.body.items[0].zoneIngressInsight, {});
  });
});
