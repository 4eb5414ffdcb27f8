/** On the global: a zone's synced proxies and ingresses show offline while the zone is offline. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insightSpec } from '../testing/fixtures.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';

/** Labels of a copy the global holds from `zone`. */
const fromZone = (zone: string, name: string) => ({
  'kuma.io/origin': 'zone',
  'kuma.io/zone': zone,
  'kuma.io/display-name': name,
});

describe('zone liveness on the global', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi({ mode: 'global' });
    const { store } = t;
    await store.create({ type: 'Mesh', name: 'default', spec: {} });
    // zone-a is online, zone-b went offline at 13:00; zone-c never connected to this global.
    for (const zone of ['zone-a', 'zone-b', 'zone-c']) await store.create({ type: 'Zone', name: zone, spec: {} });
    await store.create({ type: 'ZoneInsight', name: 'zone-a', spec: insightSpec() });
    await store.create({ type: 'ZoneInsight', name: 'zone-b', spec: insightSpec(true) });
    for (const zone of ['zone-a', 'zone-b', 'zone-c']) {
      // What each zone last reported: its ingress and its proxy connected.
      const ingress = `ingress-${zone}`;
      await store.create({
        type: 'ZoneIngress',
        name: ingress,
        labels: fromZone(zone, 'ingress'),
        spec: { zone, networking: { address: '10.0.0.9', port: 10001 } },
      });
      await store.create({ type: 'ZoneIngressInsight', name: ingress, spec: insightSpec() });
      const dp = `dp-${zone}`;
      await store.create({
        type: 'Dataplane',
        mesh: 'default',
        name: dp,
        labels: fromZone(zone, 'dp'),
        spec: {
          networking: { address: '10.0.0.1', inbound: [{ port: 80, tags: { 'kuma.io/service': `svc-${zone}` } }] },
        },
      });
      await store.create({ type: 'DataplaneInsight', mesh: 'default', name: dp, spec: insightSpec() });
    }
    // A proxy of the global's own (no zone labels) keeps its insight as it is.
    await store.create({ type: 'ZoneIngress', name: 'local', spec: { networking: { address: '10.0.0.8', port: 1 } } });
    await store.create({ type: 'ZoneIngressInsight', name: 'local', spec: insightSpec() });
  });
  after(() => t.close());

  const lastDisconnect = (insight: { subscriptions?: Array<{ disconnectTime?: string }> }) =>
    insight.subscriptions?.at(-1)?.disconnectTime;

  it('shows an offline zone’s ingresses disconnected at /zoneingresses+insights', async () => {
    const res = await t.request('GET', '/zoneingresses+insights');
    assert.equal(res.status, 200);
    const byName = new Map<string, { zoneIngressInsight: object }>(
      res.body.items.map((i: { name: string }) => [i.name, i]),
    );
    assert.equal(lastDisconnect(byName.get('ingress-zone-a')?.zoneIngressInsight ?? {}), undefined);
    assert.equal(lastDisconnect(byName.get('ingress-zone-b')?.zoneIngressInsight ?? {}), '2024-05-01T13:00:00Z');
    assert.equal(typeof lastDisconnect(byName.get('ingress-zone-c')?.zoneIngressInsight ?? {}), 'string');
    assert.equal(lastDisconnect(byName.get('local')?.zoneIngressInsight ?? {}), undefined);
    const one = await t.request('GET', '/zoneingresses+insights/ingress-zone-b');
    assert.equal(lastDisconnect(one.body.zoneIngressInsight), '2024-05-01T13:00:00Z');
    // The stored insight is untouched: only its presentation changes.
    const stored = await t.store.get({ type: 'ZoneIngressInsight', name: 'ingress-zone-b' });
    assert.equal(lastDisconnect(stored?.spec as object), undefined);
  });

  it('shows an offline zone’s dataplanes disconnected at /meshes/{mesh}/dataplanes/_overview', async () => {
    const res = await t.request('GET', '/meshes/default/dataplanes/_overview');
    const byName = new Map<string, { dataplaneInsight: object }>(
      res.body.items.map((i: { name: string }) => [i.name, i]),
    );
    assert.equal(lastDisconnect(byName.get('dp-zone-a')?.dataplaneInsight ?? {}), undefined);
    assert.equal(lastDisconnect(byName.get('dp-zone-b')?.dataplaneInsight ?? {}), '2024-05-01T13:00:00Z');
  });

  it('counts zones, ingresses, dataplanes and services online only while their zone is', async () => {
    const res = await t.request('GET', '/global-insight');
    assert.equal(res.status, 200);
    const g = res.body;
    assert.deepEqual(g.zones.controlPlanes, { total: 3, online: 1 });
    assert.deepEqual(g.zones.zoneIngresses, { total: 4, online: 2 });
    assert.deepEqual(g.dataplanes.standard, { total: 3, online: 1, offline: 2, partiallyDegraded: 0 });
    assert.deepEqual(g.services.internal, { total: 3, online: 1, offline: 2, partiallyDegraded: 0 });
  });
});
