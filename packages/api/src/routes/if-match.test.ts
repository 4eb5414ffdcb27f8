import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../testing/test-api.js';

describe('optimistic concurrency (ETag / If-Match)', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t.close());

  it('returns the version as ETag on GET and PUT', async () => {
    const put = await t.request('PUT', '/meshes/etag', { body: { type: 'Mesh', name: 'etag' } });
    const get = await t.request('GET', '/meshes/etag');
    const stored = await t.store.get({ type: 'Mesh', name: 'etag' });
    assert.equal(get.headers.get('etag'), `"${stored?.meta.version}"`);
    assert.equal(put.headers.get('etag'), get.headers.get('etag'));
    const notModified = await t.request('GET', '/meshes/etag', {
      headers: { 'if-none-match': get.headers.get('etag') ?? '' },
    });
    assert.equal(notModified.status, 304);
  });

  it('lets exactly one of two concurrent PUTs with the same ETag win', async () => {
    await t.request('PUT', '/meshes/race', { body: { type: 'Mesh', name: 'race' } });
    const etag = (await t.request('GET', '/meshes/race')).headers.get('etag') ?? '';
    const put = (who: string) =>
      t.request('PUT', '/meshes/race', {
        body: { type: 'Mesh', name: 'race', labels: { who } },
        headers: { 'if-match': etag },
      });
    const results = await Promise.all([put('a'), put('b')]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    const winner = results.find((r) => r.status === 200) === results[0] ? 'a' : 'b';
    const stored = await t.store.get({ type: 'Mesh', name: 'race' });
    assert.equal(stored?.meta.labels.who, winner);
    assert.equal(results.find((r) => r.status === 409)?.body.status, 409);
  });

  it('honours If-Match on DELETE', async () => {
    await t.request('PUT', '/meshes/del', { body: { type: 'Mesh', name: 'del' } });
    const etag = (await t.request('GET', '/meshes/del')).headers.get('etag') ?? '';
    await t.request('PUT', '/meshes/del', { body: { type: 'Mesh', name: 'del', labels: { v: '2' } } });
    assert.equal((await t.request('DELETE', '/meshes/del', { headers: { 'if-match': etag } })).status, 409);
    const current = (await t.request('GET', '/meshes/del')).headers.get('etag') ?? '';
    assert.equal((await t.request('DELETE', '/meshes/del', { headers: { 'if-match': current } })).status, 200);
    assert.equal((await t.request('GET', '/meshes/del')).status, 404);
  });

  it('answers 409 for If-Match on a resource that does not exist, 400 for a malformed one', async () => {
    const missing = await t.request('PUT', '/meshes/ghost', {
      body: { type: 'Mesh', name: 'ghost' },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(missing.status, 409);
    assert.equal(await t.store.get({ type: 'Mesh', name: 'ghost' }), undefined);
    const bad = await t.request('PUT', '/meshes/ghost', {
      body: { type: 'Mesh', name: 'ghost' },
      headers: { 'if-match': 'yesterday' },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.invalid_parameters, [
      { field: 'If-Match', reason: bad.body.invalid_parameters[0].reason, source: 'header' },
    ]);
  });

  it('without If-Match, concurrent PUTs of a new resource all succeed (one creates)', async () => {
    const results = await Promise.all(
      ['1', '2', '3'].map((v) =>
        t.request('PUT', '/meshes/herd', { body: { type: 'Mesh', name: 'herd', labels: { v } } }),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 201]);
  });
});
