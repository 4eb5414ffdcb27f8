/**
 * Every example resource of every built-in type through the REST API: the full CRUD cycle
 * for the valid ones (as JSON and as YAML), 400 naming the field for the invalid ones.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseUniversal, type ResourceDescriptor } from '@strait/shared';
import { invalidExamples, validExamples } from '@strait/shared/testing';
import { stringify as toYaml } from 'yaml';
import { YAML_CONTENT_TYPES } from '../server/content-parsers.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';

type Obj = Record<string, unknown>;

function itemPath(d: ResourceDescriptor, o: Obj): string {
  const name = encodeURIComponent(String(o.name));
  return d.scope === 'mesh'
    ? `/meshes/${encodeURIComponent(String(o.mesh ?? 'default'))}/${d.plural}/${name}`
    : `/${d.plural}/${name}`;
}

function listPath(d: ResourceDescriptor, o: Obj): string {
  return d.scope === 'mesh' ? `/meshes/${encodeURIComponent(String(o.mesh ?? 'default'))}/${d.plural}` : `/${d.plural}`;
}

/** What GET must return for a PUT of `o`: the same object, labels defaulted, without the times. */
function expected(d: ResourceDescriptor, o: Obj): Obj {
  const out: Obj = { labels: {}, ...o };
  if (d.scope === 'mesh' && out.mesh === undefined) out.mesh = 'default';
  delete out.creationTime;
  delete out.modificationTime;
  return out;
}

function withoutTimes(o: Obj): Obj {
  const { creationTime, modificationTime, ...rest } = o;
  assert.equal(typeof creationTime, 'string');
  assert.equal(typeof modificationTime, 'string');
  return rest;
}

/** Meshes the example lives in must exist before a mesh-scoped PUT. */
async function ensureMesh(t: TestApi, d: ResourceDescriptor, o: Obj): Promise<void> {
  if (d.scope !== 'mesh') return;
  const name = String(o.mesh ?? 'default');
  if ((await t.store.get({ type: 'Mesh', name })) === undefined) await t.store.create({ type: 'Mesh', name, spec: {} });
}

describe('valid examples through the API', () => {
  const examples = validExamples();
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t.close());

  it('has examples of every built-in type', () => {
    const covered = new Set(examples.map((e) => e.type));
    assert.deepEqual(
      t.registry
        .all()
        .map((d) => d.name)
        .filter((n) => !covered.has(n)),
      [],
    );
  });

  examples.forEach((example, index) => {
    const label = `${example.type} ${String(example.object.mesh ?? '')}/${String(example.object.name)} (#${index})`;
    it(`round-trips ${label}`, async () => {
      const d = t.registry.require(example.type);
      const o = example.object;
      const path = itemPath(d, o);
      await ensureMesh(t, d, o);
      // A Mesh example may be named like a mesh other examples use: start from its absence.
      await t.store
        .delete({
          type: d.name,
          ...(d.scope === 'mesh' ? { mesh: String(o.mesh ?? 'default') } : {}),
          name: String(o.name),
        })
        .catch(() => {});

      if (d.systemOnly) {
        const refused = await t.request('PUT', path, { body: o });
        assert.equal(refused.status, 405);
        assert.equal((await t.request('GET', path)).status, 404);
        await t.store.create(parseUniversal(t.registry, o));
        const got = await t.request('GET', path);
        assert.equal(got.status, 200);
        assert.deepEqual(withoutTimes(got.body), expected(d, o));
        assert.equal((await t.request('DELETE', path)).status, 405);
        // Leave no insight behind: an online ZoneInsight rightly blocks deleting its Zone later on.
        await t.store.delete({
          type: d.name,
          ...(d.scope === 'mesh' ? { mesh: String(o.mesh ?? 'default') } : {}),
          name: String(o.name),
        });
        return;
      }

      const yamlType = YAML_CONTENT_TYPES[index % YAML_CONTENT_TYPES.length] as string;
      for (const [format, body, contentType] of [
        ['JSON', o, 'application/json'],
        ['YAML', toYaml(o), yamlType],
      ] as const) {
        const created = await t.request('PUT', path, { body, contentType });
        assert.equal(created.status, 201, `${format} create: ${JSON.stringify(created.body)}`);
        const got = await t.request('GET', path);
        assert.equal(got.status, 200);
        assert.deepEqual(withoutTimes(got.body), expected(d, o), `${format} GET`);
        assert.equal(got.headers.get('etag'), created.headers.get('etag'));

        const updated = await t.request('PUT', path, { body, contentType });
        assert.equal(updated.status, 200, `${format} update`);

        const list = await t.request('GET', `${listPath(d, o)}?size=1000`);
        assert.equal(list.status, 200);
        assert.ok(
          list.body.items.some((i: Obj) => i.name === o.name),
          `${format} list contains it`,
        );

        assert.equal((await t.request('DELETE', path)).status, 200, `${format} delete`);
        assert.equal((await t.request('GET', path)).status, 404, `${format} gone`);
      }
    });
  });
});

describe('invalid examples through the API', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
    await t.store.create({ type: 'Mesh', name: 'default', spec: {} });
  });
  after(() => t.close());

  invalidExamples().forEach((example, index) => {
    it(`refuses ${example.description} (#${index})`, async () => {
      const o = example.object;
      const d = t.registry.require(String(o.type));
      const path = itemPath(d, o);
      const existingMesh = await t.store.get({ type: 'Mesh', name: 'default' });
      const res = await t.request('PUT', path, { body: o });
      if (d.systemOnly) {
        assert.equal(res.status, 405); // refused before the body is even read
      } else {
        assert.equal(res.status, 400, JSON.stringify(res.body));
        const fields = res.body.invalid_parameters.map((p: { field: string }) => p.field);
        assert.ok(fields.includes(example.field), `expected ${example.field} in ${JSON.stringify(fields)}`);
        assert.ok(res.body.invalid_parameters.every((p: { source: string }) => p.source === 'body'));
      }
      // nothing stored (and the mesh `default`, which some examples are named like, untouched)
      const key = {
        type: d.name,
        ...(d.scope === 'mesh' ? { mesh: String(o.mesh ?? 'default') } : {}),
        name: String(o.name),
      };
      const stored = await t.store.get(key);
      if (d.name === 'Mesh' && o.name === 'default') assert.equal(stored?.meta.version, existingMesh?.meta.version);
      else assert.equal(stored, undefined);
    });
  });
});
