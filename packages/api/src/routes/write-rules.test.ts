import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dataplane } from '../testing/fixtures.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';

async function seedDefaultMesh(t: TestApi): Promise<void> {
  await t.store.create({ type: 'Mesh', name: 'default', spec: {} });
}

describe('federated zone', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi({ mode: 'zone', federated: true });
    await seedDefaultMesh(t);
  });
  after(() => t.close());

  it('refuses writes of global-owned types with 405 and says to apply on the global', async () => {
    const refused = t.registry.all().filter((d) => d.readOnlyOnFederatedZone && !d.systemOnly);
    assert.ok(refused.some((d) => d.name === 'Mesh'));
    for (const d of refused) {
      const path = d.scope === 'mesh' ? `/meshes/default/${d.plural}/x` : `/${d.plural}/x`;
      const body = { type: d.name, name: 'x', ...(d.scope === 'mesh' ? { mesh: 'default' } : {}) };
      const put = await t.request('PUT', path, { body });
      assert.equal(put.status, 405, `PUT ${d.name}`);
      assert.match(put.body.detail, /global control plane/);
      assert.equal((await t.request('DELETE', path)).status, 405, `DELETE ${d.name}`);
    }
    assert.equal((await t.request('DELETE', '/meshes/default')).status, 405);
    assert.ok((await t.store.get({ type: 'Mesh', name: 'default' })) !== undefined);
  });

  it('accepts zone-owned writes such as Dataplanes, and policies their descriptors allow', async () => {
    assert.equal(
      (await t.request('PUT', '/meshes/default/dataplanes/dp-1', { body: dataplane('default', 'dp-1') })).status,
      201,
    );
    for (const d of t.registry.all().filter((x) => x.isPolicy)) {
      const res = await t.request('PUT', `/meshes/default/${d.plural}/p`, {
        body: { type: d.name, mesh: 'default', name: 'p', spec: {} },
      });
      if (d.readOnlyOnFederatedZone) assert.equal(res.status, 405, d.name);
      else assert.notEqual(res.status, 405, d.name);
    }
  });

  it('marks refused types read-only in /_resources', async () => {
    const res = await t.request('GET', '/_resources');
    const mesh = res.body.resources.find((r: { name: string }) => r.name === 'Mesh');
    assert.equal(mesh.readOnly, true);
  });
});

describe('global control plane', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi({ mode: 'global' });
    await seedDefaultMesh(t);
  });
  after(() => t.close());

  it('refuses Dataplane writes (zones own them), like Kuma', async () => {
    const res = await t.request('PUT', '/meshes/default/dataplanes/dp-1', { body: dataplane('default', 'dp-1') });
    assert.equal(res.status, 405);
    assert.match(res.body.detail, /zone control plane/);
  });

  it('accepts meshes', async () => {
    assert.equal((await t.request('PUT', '/meshes/m2', { body: { type: 'Mesh', name: 'm2' } })).status, 201);
  });
});

describe('standalone zone: write rules', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
    await seedDefaultMesh(t);
  });
  after(() => t.close());

  it('refuses writes of system-only types (insights) with 405', async () => {
    for (const d of t.registry.all().filter((x) => x.systemOnly)) {
      const path = d.scope === 'mesh' ? `/meshes/default/${d.plural}/x` : `/${d.plural}/x`;
      assert.equal((await t.request('PUT', path, { body: { type: d.name, name: 'x' } })).status, 405, d.name);
    }
  });

  it('refuses deleting a mesh that still has dataplanes (400), then cascades once they are gone', async () => {
    await t.request('PUT', '/meshes/busy', { body: { type: 'Mesh', name: 'busy' } });
    assert.equal(
      (await t.request('PUT', '/meshes/busy/dataplanes/dp-1', { body: dataplane('busy', 'dp-1') })).status,
      201,
    );
    const policy = t.registry.all().find((d) => d.isPolicy);
    if (policy !== undefined) {
      await t.store.create({ type: policy.name, mesh: 'busy', name: 'p1', spec: {} });
    }
    const refused = await t.request('DELETE', '/meshes/busy');
    assert.equal(refused.status, 400);
    assert.deepEqual(
      refused.body.invalid_parameters.map((p: { field: string }) => p.field),
      ['mesh'],
    );
    assert.equal((await t.request('GET', '/meshes/busy')).status, 200);
    assert.equal((await t.request('DELETE', '/meshes/busy/dataplanes/dp-1')).status, 200);
    assert.equal((await t.request('DELETE', '/meshes/busy')).status, 200);
    assert.equal((await t.request('GET', '/meshes/busy')).status, 404);
    if (policy !== undefined)
      assert.equal(await t.store.get({ type: policy.name, mesh: 'busy', name: 'p1' }), undefined);
  });

  it('answers 400 naming the field when the body disagrees with the path', async () => {
    const cases = [
      ['/meshes/default/dataplanes/dp-a', dataplane('default', 'dp-b'), 'name'],
      ['/meshes/default/dataplanes/dp-a', dataplane('other', 'dp-a'), 'mesh'],
      ['/meshes/default/dataplanes/dp-a', { ...dataplane('default', 'dp-a'), type: 'Mesh' }, 'type'],
      ['/meshes/m-a', { type: 'Mesh', name: 'm-b' }, 'name'],
    ] as const;
    for (const [path, body, field] of cases) {
      const res = await t.request('PUT', path, { body });
      assert.equal(res.status, 400, `${path} ${field}`);
      assert.ok(
        res.body.invalid_parameters.some(
          (p: { field: string; source: string }) => p.field === field && p.source === 'body',
        ),
        JSON.stringify(res.body.invalid_parameters),
      );
    }
    assert.equal(await t.store.get({ type: 'Dataplane', mesh: 'default', name: 'dp-a' }), undefined);
    assert.equal(await t.store.get({ type: 'Mesh', name: 'm-a' }), undefined);
  });

  it('answers 404 for unknown meshes, names and types', async () => {
    assert.equal((await t.request('GET', '/meshes/nope/dataplanes')).status, 404);
    assert.equal((await t.request('GET', '/meshes/nope/dataplanes/x')).status, 404);
    assert.equal((await t.request('GET', '/meshes/default/dataplanes/missing')).status, 404);
    assert.equal((await t.request('DELETE', '/meshes/default/dataplanes/missing')).status, 404);
    assert.equal((await t.request('GET', '/meshes/default/no-such-types')).status, 404);
    assert.equal((await t.request('GET', '/no-such-types/x')).status, 404);
  });

  it('answers 400 (field mesh) for a PUT into a mesh that does not exist, like Kuma', async () => {
    const res = await t.request('PUT', '/meshes/nope/dataplanes/dp-1', { body: dataplane('nope', 'dp-1') });
    assert.equal(res.status, 400);
    assert.deepEqual(
      res.body.invalid_parameters.map((p: { field: string }) => p.field),
      ['mesh'],
    );
  });

  it('lists a mesh-scoped type across meshes at /{plural}', async () => {
    await t.request('PUT', '/meshes/m3', { body: { type: 'Mesh', name: 'm3' } });
    await t.request('PUT', '/meshes/default/dataplanes/x1', { body: dataplane('default', 'x1') });
    await t.request('PUT', '/meshes/m3/dataplanes/x2', { body: dataplane('m3', 'x2') });
    const res = await t.request('GET', '/dataplanes?name=x');
    assert.deepEqual(
      res.body.items.map((i: { mesh: string; name: string }) => `${i.mesh}/${i.name}`),
      ['default/x1', 'm3/x2'],
    );
  });
});
