import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../testing/test-api.js';

const COUNT = 2500;

describe('list pagination and filters', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
    for (let i = 0; i < COUNT; i++) {
      const labels: Record<string, string> = { parity: i % 2 === 0 ? 'even' : 'odd' };
      if (i % 5 === 0) labels.five = 'yes';
      await t.store.create({ type: 'Mesh', name: `mesh-${String(i).padStart(4, '0')}`, labels, spec: {} });
    }
  });
  after(() => t.close());

  it('walks 2,500 items by following next, with no duplicates or gaps', async () => {
    const seen: string[] = [];
    let url: string | null = '/meshes?size=100';
    let pages = 0;
    while (url !== null) {
      const res = await t.request('GET', url);
      assert.equal(res.status, 200);
      assert.equal(res.body.total, COUNT);
      assert.ok(res.body.items.length <= 100);
      for (const item of res.body.items) seen.push(item.name);
      if (res.body.next !== null) assert.match(res.body.next, /^http:\/\/127\.0\.0\.1:\d+\/meshes\?/);
      url = res.body.next;
      pages++;
    }
    assert.equal(pages, 25);
    assert.equal(seen.length, COUNT);
    assert.equal(new Set(seen).size, COUNT);
    const expected = Array.from({ length: COUNT }, (_, i) => `mesh-${String(i).padStart(4, '0')}`);
    assert.deepEqual([...seen].sort(), expected);
  });

  it('defaults to 100 items and answers next: null on the last page', async () => {
    const first = await t.request('GET', '/meshes');
    assert.equal(first.body.items.length, 100);
    const last = await t.request('GET', '/meshes?offset=2450');
    assert.equal(last.body.items.length, 50);
    assert.equal(last.body.next, null);
  });

  it('keeps the other parameters in next', async () => {
    const res = await t.request('GET', '/meshes?size=10&filter[labels.parity]=even');
    const next = new URL(res.body.next);
    assert.equal(next.searchParams.get('filter[labels.parity]'), 'even');
    assert.equal(next.searchParams.get('size'), '10');
    assert.equal(next.searchParams.get('offset'), '10');
    const page2 = await t.request('GET', res.body.next);
    assert.equal(page2.body.items[0].name, 'mesh-0020');
  });

  for (const [query, field] of [
    ['size=0', 'size'],
    ['size=1001', 'size'],
    ['size=abc', 'size'],
    ['offset=-1', 'offset'],
    ['offset=x', 'offset'],
    ['filter[spec.foo]=1', 'filter[spec.foo]'],
  ] as const) {
    it(`answers 400 naming ${field} for ${query}`, async () => {
      const res = await t.request('GET', `/meshes?${query}`);
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.deepEqual(
        res.body.invalid_parameters.map((p: { field: string; source: string }) => [p.field, p.source]),
        [[field, 'query']],
      );
    });
  }

  it('accepts size=1000', async () => {
    const res = await t.request('GET', '/meshes?size=1000');
    assert.equal(res.status, 200);
    assert.equal(res.body.items.length, 1000);
  });

  it('filters by labels, ANDed, in both of Kuma forms', async () => {
    const both = await t.request('GET', '/meshes?size=1000&filter[labels.parity]=even&filter[labels.five]=yes');
    assert.equal(both.body.total, 250); // multiples of 10
    assert.ok(both.body.items.every((m: { labels: Record<string, string> }) => m.labels.parity === 'even'));
    const singular = await t.request('GET', '/meshes?size=1&filter[label.five]=yes');
    assert.equal(singular.body.total, 500);
    const none = await t.request('GET', '/meshes?filter[labels.parity]=neither');
    assert.deepEqual([none.body.total, none.body.items, none.body.next], [0, [], null]);
  });

  it('filters by name substring (name=)', async () => {
    const res = await t.request('GET', '/meshes?name=mesh-012');
    assert.equal(res.body.total, 10);
    assert.ok(res.body.items.every((m: { name: string }) => m.name.includes('mesh-012')));
  });
});
