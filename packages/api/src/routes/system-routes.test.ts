import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { startTestApi, type TestApi } from '../testing/test-api.js';

describe('index, resource types and OpenAPI', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi({
      routes: (app) => {
        app.get('/custom', async () => ({ ok: true }));
      },
    });
  });
  after(() => t.close());

  it("serves Kuma's Index document at /", async () => {
    const res = await t.request('GET', '/');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      hostname: 'test-host',
      product: 'Strait',
      tagline: 'Strait',
      version: '0.0.0-test',
      instanceId: 'test-instance',
      clusterId: 'test-cluster',
      gui: '/gui',
      basedOnKuma: '2.14.3',
    });
  });

  it('describes every type at /_resources', async () => {
    const res = await t.request('GET', '/_resources');
    assert.equal(res.status, 200);
    const names = res.body.resources.map((r: { name: string }) => r.name);
    assert.deepEqual(
      names,
      t.registry
        .all()
        .map((d) => d.name)
        .sort(),
    );
    for (const r of res.body.resources) {
      const d = t.registry.require(r.name);
      assert.equal(r.path, d.plural);
      assert.equal(r.scope, d.scope === 'mesh' ? 'Mesh' : 'Global');
      assert.equal(r.readOnly, d.systemOnly);
      assert.equal(r.policy !== undefined, d.isPolicy);
      for (const field of ['singularDisplayName', 'pluralDisplayName', 'shortName'])
        assert.equal(typeof r[field], 'string');
    }
  });

  it('publishes an OpenAPI document with a schema and paths per type, as JSON and YAML', async () => {
    const json = await t.request('GET', '/openapi.json');
    assert.equal(json.status, 200);
    assert.equal(json.body.openapi, '3.1.0');
    for (const d of t.registry.all()) {
      const schema = json.body.components.schemas[`${d.name}Item`];
      assert.ok(schema !== undefined, `schema of ${d.name}`);
      const base = d.scope === 'mesh' ? `/meshes/{mesh}/${d.plural}` : `/${d.plural}`;
      assert.ok(json.body.paths[base]?.get, `list path of ${d.name}`);
      assert.ok(json.body.paths[`${base}/{name}`]?.put, `item path of ${d.name}`);
    }
    for (const name of ['Index', 'Error', 'InvalidParameters', 'GlobalInsight'])
      assert.ok(json.body.components.schemas[name]);
    const yaml = await t.request('GET', '/openapi.yaml');
    assert.equal(yaml.status, 200);
    assert.match(yaml.headers.get('content-type') ?? '', /^application\/yaml/);
    assert.deepEqual(parseYaml(yaml.body), json.body);
  });

  it('answers unknown paths with a Kuma-style 404', async () => {
    const res = await t.request('GET', '/no-such-things');
    assert.equal(res.status, 404);
    assert.equal(res.body.type, '/std-errors');
    assert.equal(res.body.status, 404);
  });

  it('serves routes the control plane adds', async () => {
    assert.deepEqual((await t.request('GET', '/custom')).body, { ok: true });
  });

  it('refuses bodies over maxBodyBytes (413) and unknown media types (415)', async () => {
    const small = await startTestApi({ maxBodyBytes: 1024 });
    try {
      const big = { type: 'Mesh', name: 'big', labels: { x: 'y'.repeat(2000) } };
      assert.equal((await small.request('PUT', '/meshes/big', { body: big })).status, 413);
      const odd = await small.request('PUT', '/meshes/odd', { body: 'x', contentType: 'application/octet-stream' });
      assert.equal(odd.status, 415);
      assert.equal(odd.body.status, 415);
    } finally {
      await small.close();
    }
  });
});
