/**
 * The store contract suite: the behaviour every `ResourceStore` (memory, sqlite, later
 * postgres) must show, as node:test cases. A store's test file calls `runStoreContract` with a
 * factory that opens a fresh, empty store. The suite is type-agnostic: it uses `Mesh` (the one
 * type the store knows) and made-up types, never the resource descriptors.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isStraitError } from '../errors/strait-error.js';
import type { ResourceKey } from '../model/resource.js';
import { runBatchContract } from './batch-contract.js';
import {
  GLOBAL_SCOPED,
  keyOfThing,
  MESH_SCOPED,
  mesh,
  OTHER_MESH_SCOPED,
  printable,
  RFC3339_UTC,
  record,
  rejectsWith,
  thing,
  tryMutate,
  zoneThing,
} from './contract-fixtures.js';
import type { ChangeEvent, ResourceStore } from './store.js';

/** A fresh, empty store and how to dispose of it (close it, remove its files). */
export interface StoreUnderTest {
  readonly store: ResourceStore;
  cleanup(): Promise<void>;
}

/** Opens a fresh, empty store for one test case. */
export type StoreFactory = () => Promise<StoreUnderTest>;

/**
 * Registers the contract suite for one store implementation. `factory` is called once per
 * test case and must return an empty store; `cleanup` runs after the case.
 */
export function runStoreContract(name: string, factory: StoreFactory): void {
  describe(`${name} store contract`, () => {
    let handle: StoreUnderTest;
    let store: ResourceStore;

    beforeEach(async () => {
      handle = await factory();
      store = handle.store;
    });

    afterEach(async () => {
      await handle.cleanup();
    });

    describe('create and get', () => {
      it('starts empty at revision 0', async () => {
        assert.equal(await store.revision(), 0);
        assert.deepEqual(await store.list({ type: 'Mesh' }), { items: [], total: 0 });
      });

      it('returns the stored resource, and get returns the same', async () => {
        await store.create(mesh('default'));
        const created = await store.create(
          thing('default', 'web', {
            labels: { team: 'a' },
            spec: { port: 80, nested: { x: [1, 2] } },
            status: { ok: true },
          }),
        );
        assert.equal(created.type, MESH_SCOPED);
        assert.equal(created.meta.name, 'web');
        assert.equal(created.meta.mesh, 'default');
        assert.deepEqual(created.meta.labels, { team: 'a' });
        assert.deepEqual(created.spec, { port: 80, nested: { x: [1, 2] } });
        assert.deepEqual(created.status, { ok: true });
        assert.equal(created.meta.version, await store.revision());
        assert.match(created.meta.creationTime, RFC3339_UTC);
        assert.equal(created.meta.modificationTime, created.meta.creationTime);
        assert.equal('owner' in created.meta, false);
        assert.deepEqual(await store.get(keyOfThing('default', 'web')), created);
      });

      it('gives global-scoped resources no mesh, and defaults labels to empty', async () => {
        const created = await store.create(zoneThing('zone-1'));
        assert.equal('mesh' in created.meta, false);
        assert.deepEqual(created.meta.labels, {});
        assert.equal('status' in created, false);
        assert.deepEqual(await store.get({ type: GLOBAL_SCOPED, name: 'zone-1' }), created);
      });

      it('returns undefined for an absent key', async () => {
        assert.equal(await store.get({ type: 'Mesh', name: 'nope' }), undefined);
        assert.equal(await store.get(keyOfThing('nope', 'nope')), undefined);
      });

      it('fails with AlreadyExists on a taken key, leaving the resource unchanged', async () => {
        const first = await store.create(mesh('default'));
        await rejectsWith(store.create(mesh('default', { spec: { other: true } })), 'AlreadyExists');
        assert.deepEqual(await store.get({ type: 'Mesh', name: 'default' }), first);
      });

      it('keys by type, mesh and name', async () => {
        await store.create(mesh('a'));
        await store.create(mesh('b'));
        await store.create(thing('a', 'x'));
        await store.create(thing('b', 'x'));
        await store.create({ type: OTHER_MESH_SCOPED, mesh: 'a', name: 'x', spec: {} });
        await store.create(zoneThing('x'));
        assert.equal((await store.list({ type: MESH_SCOPED })).total, 2);
        assert.equal((await store.list({ type: OTHER_MESH_SCOPED })).total, 1);
      });

      it('fails with NotFound when the mesh of a mesh-scoped resource is missing', async () => {
        await rejectsWith(store.create(thing('missing', 'web')), 'NotFound');
        assert.equal(await store.revision(), 0);
      });

      it('fails with NotFound when the explicit owner is missing', async () => {
        await store.create(mesh('default'));
        const owner: ResourceKey = { type: GLOBAL_SCOPED, name: 'zone-1' };
        await rejectsWith(store.create(thing('default', 'web', { owner })), 'NotFound');
        await store.create(zoneThing('zone-1'));
        const created = await store.create(thing('default', 'web', { owner }));
        assert.deepEqual(created.meta.owner, owner);
      });

      it('ignores expectedVersion on create', async () => {
        const created = await store.create(mesh('default'), { expectedVersion: 42 });
        assert.equal(created.meta.name, 'default');
      });

      it('rejects malformed input with Invalid', async () => {
        await rejectsWith(store.create({ type: 'Mesh', name: '', spec: {} }), 'Invalid');
        await rejectsWith(store.create({ type: '', name: 'x', spec: {} }), 'Invalid');
        await rejectsWith(store.create({ type: MESH_SCOPED, mesh: '', name: 'x', spec: {} }), 'Invalid');
        await rejectsWith(store.create({ type: 'Mesh', name: 'x', spec: undefined }), 'Invalid');
        await rejectsWith(store.create({ type: 'Mesh', name: 'x', spec: { n: 1n } }), 'Invalid');
        assert.equal(await store.revision(), 0);
        assert.equal(await store.get({ type: 'Mesh', name: 'x' }), undefined);
      });
    });

    describe('update', () => {
      it('replaces labels, spec and status, keeps creationTime, bumps version and modificationTime', async () => {
        await store.create(mesh('default'));
        const created = await store.create(
          thing('default', 'web', { labels: { a: '1', b: '2' }, status: { phase: 'old' } }),
        );
        const updated = await store.update(thing('default', 'web', { labels: { c: '3' }, spec: { port: 9090 } }));
        assert.deepEqual(updated.meta.labels, { c: '3' });
        assert.deepEqual(updated.spec, { port: 9090 });
        assert.equal('status' in updated, false, 'status is replaced too (absent → removed)');
        assert.equal(updated.meta.creationTime, created.meta.creationTime);
        assert.match(updated.meta.modificationTime, RFC3339_UTC);
        assert.ok(updated.meta.modificationTime >= created.meta.modificationTime);
        assert.ok(updated.meta.version > created.meta.version);
        assert.equal(updated.meta.version, await store.revision());
        assert.deepEqual(await store.get(keyOfThing('default', 'web')), updated);
      });

      it('fails with NotFound when the resource is absent', async () => {
        await store.create(mesh('default'));
        await rejectsWith(store.update(thing('default', 'web')), 'NotFound');
        await rejectsWith(store.update(mesh('other')), 'NotFound');
      });

      it('fails with Conflict on a version mismatch, and succeeds on a match', async () => {
        const created = await store.create(mesh('default'));
        await rejectsWith(
          store.update(mesh('default', { spec: { changed: true } }), { expectedVersion: created.meta.version + 1 }),
          'Conflict',
        );
        assert.deepEqual(await store.get({ type: 'Mesh', name: 'default' }), created);
        const updated = await store.update(mesh('default', { spec: { changed: true } }), {
          expectedVersion: created.meta.version,
        });
        assert.deepEqual(updated.spec, { changed: true });
      });

      it('keeps the owner unless a new one is given, which must exist', async () => {
        await store.create(mesh('default'));
        await store.create(zoneThing('zone-1'));
        await store.create(zoneThing('zone-2'));
        const owner1: ResourceKey = { type: GLOBAL_SCOPED, name: 'zone-1' };
        const owner2: ResourceKey = { type: GLOBAL_SCOPED, name: 'zone-2' };
        await store.create(thing('default', 'web', { owner: owner1 }));
        assert.deepEqual((await store.update(thing('default', 'web'))).meta.owner, owner1);
        assert.deepEqual((await store.update(thing('default', 'web', { owner: owner2 }))).meta.owner, owner2);
        await rejectsWith(
          store.update(thing('default', 'web', { owner: { type: GLOBAL_SCOPED, name: 'zone-3' } })),
          'NotFound',
        );
        assert.deepEqual((await store.get(keyOfThing('default', 'web')))?.meta.owner, owner2);
      });

      it('rejects an owner that would make an ownership cycle', async () => {
        await store.create(zoneThing('a'));
        await store.create(zoneThing('b', { owner: { type: GLOBAL_SCOPED, name: 'a' } }));
        await rejectsWith(store.update(zoneThing('a', { owner: { type: GLOBAL_SCOPED, name: 'b' } })), 'Invalid');
        await rejectsWith(store.update(zoneThing('a', { owner: { type: GLOBAL_SCOPED, name: 'a' } })), 'Invalid');
        // Through the implicit mesh ownership: a Mesh owned by a resource of its own mesh.
        await store.create(mesh('m'));
        await store.create(thing('m', 'x'));
        await rejectsWith(store.update(mesh('m', { owner: keyOfThing('m', 'x') })), 'Invalid');
      });

      it('lets exactly one of two concurrent updates with the same expectedVersion win', async () => {
        const created = await store.create(mesh('default'));
        const expectedVersion = created.meta.version;
        const results = await Promise.allSettled([
          store.update(mesh('default', { spec: { by: 'first' } }), { expectedVersion }),
          store.update(mesh('default', { spec: { by: 'second' } }), { expectedVersion }),
        ]);
        const fulfilled = results.filter((r) => r.status === 'fulfilled');
        const rejected = results.filter((r) => r.status === 'rejected');
        assert.equal(fulfilled.length, 1);
        assert.equal(rejected.length, 1);
        const [loser] = rejected;
        assert.ok(isStraitError(loser?.reason, 'Conflict'), String(loser?.reason));
        const [winner] = fulfilled;
        assert.deepEqual(await store.get({ type: 'Mesh', name: 'default' }), winner?.value);
      });

      it('lets exactly one of two concurrent creates of the same key win', async () => {
        const results = await Promise.allSettled([store.create(mesh('default')), store.create(mesh('default'))]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        const rejected = results.filter((r) => r.status === 'rejected');
        assert.equal(rejected.length, 1);
        assert.ok(isStraitError(rejected[0]?.reason, 'AlreadyExists'));
      });
    });

    describe('delete', () => {
      it('removes the resource', async () => {
        await store.create(mesh('default'));
        await store.create(thing('default', 'web'));
        await store.delete(keyOfThing('default', 'web'));
        assert.equal(await store.get(keyOfThing('default', 'web')), undefined);
        assert.ok(await store.get({ type: 'Mesh', name: 'default' }));
      });

      it('fails with NotFound when the resource is absent', async () => {
        await rejectsWith(store.delete({ type: 'Mesh', name: 'default' }), 'NotFound');
        await store.create(mesh('default'));
        await store.delete({ type: 'Mesh', name: 'default' });
        await rejectsWith(store.delete({ type: 'Mesh', name: 'default' }), 'NotFound');
      });

      it('fails with Conflict on a version mismatch and deletes nothing, cascade included', async () => {
        const m = await store.create(mesh('default'));
        await store.create(thing('default', 'web'));
        const rev = await store.revision();
        const { events } = record(store);
        await rejectsWith(
          store.delete({ type: 'Mesh', name: 'default' }, { expectedVersion: m.meta.version + 100 }),
          'Conflict',
        );
        assert.ok(await store.get({ type: 'Mesh', name: 'default' }));
        assert.ok(await store.get(keyOfThing('default', 'web')));
        assert.equal(await store.revision(), rev);
        assert.deepEqual(events, []);
        await store.delete({ type: 'Mesh', name: 'default' }, { expectedVersion: m.meta.version });
        assert.equal(await store.get(keyOfThing('default', 'web')), undefined);
      });

      it('deleting a Mesh deletes every resource of that mesh, and only those', async () => {
        await store.create(mesh('a'));
        await store.create(mesh('b'));
        await store.create(thing('a', 'web'));
        await store.create(thing('a', 'db'));
        await store.create({ type: OTHER_MESH_SCOPED, mesh: 'a', name: 'rule', spec: {} });
        await store.create(thing('b', 'web'));
        await store.create(zoneThing('web'));
        const { events } = record(store);
        await store.delete({ type: 'Mesh', name: 'a' });

        assert.equal((await store.list({ type: MESH_SCOPED, mesh: 'a' })).total, 0);
        assert.equal((await store.list({ type: OTHER_MESH_SCOPED })).total, 0);
        assert.ok(await store.get(keyOfThing('b', 'web')));
        assert.ok(await store.get({ type: 'Mesh', name: 'b' }));
        assert.ok(await store.get({ type: GLOBAL_SCOPED, name: 'web' }));

        assert.ok(events.every((e) => e.op === 'delete'));
        assert.deepEqual(
          events.map((e) => printable(e.key)).sort(),
          ['Mesh//a', `${OTHER_MESH_SCOPED}/a/rule`, `${MESH_SCOPED}/a/db`, `${MESH_SCOPED}/a/web`].sort(),
        );
        assert.equal(printable(events.at(-1)?.key ?? { type: '', name: '' }), 'Mesh//a', 'owner is deleted last');
      });

      it('cascades transitively along explicit owners, across meshes, dependents first', async () => {
        await store.create(mesh('m'));
        await store.create(zoneThing('zone'));
        await store.create(zoneThing('zone-child', { owner: { type: GLOBAL_SCOPED, name: 'zone' } }));
        await store.create(thing('m', 'grandchild', { owner: { type: GLOBAL_SCOPED, name: 'zone-child' } }));
        await store.create(thing('m', 'unrelated'));
        const { events } = record(store);
        await store.delete({ type: GLOBAL_SCOPED, name: 'zone' });

        assert.deepEqual(
          events.map((e) => printable(e.key)),
          [`${MESH_SCOPED}/m/grandchild`, `${GLOBAL_SCOPED}//zone-child`, `${GLOBAL_SCOPED}//zone`],
        );
        assert.equal(await store.get({ type: GLOBAL_SCOPED, name: 'zone-child' }), undefined);
        assert.equal(await store.get(keyOfThing('m', 'grandchild')), undefined);
        assert.ok(await store.get(keyOfThing('m', 'unrelated')));
        assert.ok(await store.get({ type: 'Mesh', name: 'm' }));
      });

      it('deletes a resource owned along two paths exactly once', async () => {
        await store.create(mesh('m'));
        await store.create(thing('m', 'parent'));
        await store.create(thing('m', 'child', { owner: keyOfThing('m', 'parent') }));
        const { events } = record(store);
        await store.delete({ type: 'Mesh', name: 'm' });
        const keys = events.map((e) => printable(e.key));
        assert.equal(keys.length, 3);
        assert.equal(new Set(keys).size, 3);
        assert.ok(keys.indexOf(`${MESH_SCOPED}/m/child`) < keys.indexOf(`${MESH_SCOPED}/m/parent`));
      });
    });

    describe('events', () => {
      it('reports create, update and delete in commit order with revisions and payloads', async () => {
        const { events } = record(store);
        const m = await store.create(mesh('default'));
        const created = await store.create(thing('default', 'web'));
        const updated = await store.update(thing('default', 'web', { spec: { port: 1 } }));
        await store.delete(keyOfThing('default', 'web'));

        assert.deepEqual(
          events.map((e) => e.op),
          ['create', 'create', 'update', 'delete'],
        );
        assert.deepEqual(
          events.map((e) => e.revision),
          [1, 2, 3, 4],
        );
        assert.deepEqual(events[0]?.resource, m);
        assert.deepEqual(events[1]?.resource, created);
        assert.deepEqual(events[2]?.resource, updated);
        assert.deepEqual(events[3]?.resource, updated, 'a delete carries the resource as it was');
        assert.deepEqual(events[1]?.key, keyOfThing('default', 'web'));
        assert.deepEqual(events[0]?.key, { type: 'Mesh', name: 'default' });
        assert.equal(events[1]?.revision, created.meta.version);
        assert.equal(await store.revision(), 4);
      });

      it('delivers events before the write resolves', async () => {
        const { events } = record(store);
        const pending = store.create(mesh('default'));
        const seenAtResolve = await pending.then(() => events.length);
        assert.equal(seenAtResolve, 1);
      });

      it('stops delivering after unsubscribe, which is idempotent', async () => {
        const { events, stop } = record(store);
        await store.create(mesh('a'));
        stop();
        stop();
        await store.create(mesh('b'));
        assert.equal(events.length, 1);
      });

      it('survives a throwing listener; other listeners still get every event', async () => {
        store.subscribe(() => {
          throw new Error('listener bug');
        });
        const { events } = record(store);
        await store.create(mesh('a'));
        await store.create(thing('a', 'x'));
        await store.delete({ type: 'Mesh', name: 'a' });
        assert.equal(events.length, 4);
        assert.equal((await store.list({ type: 'Mesh' })).total, 0);
        await store.create(mesh('b'));
        assert.equal(events.length, 5);
      });

      it('emits nothing for a failed write', async () => {
        await store.create(mesh('a'));
        const { events } = record(store);
        await rejectsWith(store.create(mesh('a')), 'AlreadyExists');
        await rejectsWith(store.update(mesh('b')), 'NotFound');
        await rejectsWith(store.delete({ type: 'Mesh', name: 'b' }), 'NotFound');
        await rejectsWith(store.create(thing('missing', 'x')), 'NotFound');
        assert.deepEqual(events, []);
      });

      it('keeps commit order when a listener writes from inside its callback', async () => {
        await store.create(mesh('a'));
        await store.create(thing('a', 'x'));
        await store.create(thing('a', 'y'));
        const writes: Promise<unknown>[] = [];
        const { events } = record(store);
        const stop = store.subscribe((e) => {
          if (e.op === 'delete' && writes.length === 0) writes.push(store.create(mesh('from-listener')));
        });
        await store.delete({ type: 'Mesh', name: 'a' });
        await Promise.all(writes);
        stop();
        assert.equal(events.length, 4);
        const revisions = events.map((e) => e.revision);
        assert.deepEqual(
          revisions,
          [...revisions].sort((x, y) => x - y),
        );
        assert.equal(events.at(-1)?.op, 'create');
      });

      it('gives each cascaded delete its own, consecutive revision', async () => {
        await store.create(mesh('a'));
        await store.create(thing('a', 'x'));
        await store.create(thing('a', 'y'));
        const before = await store.revision();
        const { events } = record(store);
        await store.delete({ type: 'Mesh', name: 'a' });
        assert.deepEqual(
          events.map((e) => e.revision),
          [before + 1, before + 2, before + 3],
        );
        assert.equal(await store.revision(), before + 3);
      });
    });

    describe('list', () => {
      it('orders by mesh, then name', async () => {
        for (const m of ['b', 'a']) await store.create(mesh(m));
        for (const [m, n] of [
          ['b', 'web'],
          ['a', 'web'],
          ['b', 'api'],
          ['a', 'db-10'],
          ['a', 'db-9'],
          ['a', 'Db'],
        ] as const) {
          await store.create(thing(m, n));
        }
        const page = await store.list({ type: MESH_SCOPED });
        assert.deepEqual(
          page.items.map((r) => `${r.meta.mesh}/${r.meta.name}`),
          ['a/Db', 'a/db-10', 'a/db-9', 'a/web', 'b/api', 'b/web'],
        );
        assert.equal(page.total, 6);
        assert.equal(page.nextOffset, undefined);
      });

      it('filters by mesh', async () => {
        for (const m of ['a', 'ab', 'b']) await store.create(mesh(m));
        for (const m of ['a', 'ab', 'b']) for (const n of ['x', 'y']) await store.create(thing(m, n));
        const page = await store.list({ type: MESH_SCOPED, mesh: 'a' });
        assert.deepEqual(
          page.items.map((r) => `${r.meta.mesh}/${r.meta.name}`),
          ['a/x', 'a/y'],
        );
        assert.equal((await store.list({ type: MESH_SCOPED, mesh: 'zzz' })).total, 0);
      });

      it('filters by labels, exact match, all of them', async () => {
        await store.create(mesh('m'));
        await store.create(thing('m', 'a', { labels: { env: 'prod', team: 'x' } }));
        await store.create(thing('m', 'b', { labels: { env: 'prod', team: 'y' } }));
        await store.create(thing('m', 'c', { labels: { env: 'production', team: 'x' } }));
        await store.create(thing('m', 'd'));
        const names = async (labels: Record<string, string>): Promise<string[]> =>
          (await store.list({ type: MESH_SCOPED, labels })).items.map((r) => r.meta.name);
        assert.deepEqual(await names({ env: 'prod' }), ['a', 'b']);
        assert.deepEqual(await names({ env: 'prod', team: 'x' }), ['a']);
        assert.deepEqual(await names({ team: 'x' }), ['a', 'c']);
        assert.deepEqual(await names({ env: 'prod', team: 'z' }), []);
        assert.deepEqual(await names({ missing: '' }), []);
        assert.deepEqual(await names({}), ['a', 'b', 'c', 'd']);
      });

      it('sees label changes made by update', async () => {
        await store.create(mesh('m'));
        await store.create(thing('m', 'a', { labels: { env: 'dev' } }));
        await store.update(thing('m', 'a', { labels: { env: 'prod' } }));
        assert.equal((await store.list({ type: MESH_SCOPED, labels: { env: 'dev' } })).total, 0);
        assert.equal((await store.list({ type: MESH_SCOPED, labels: { env: 'prod' } })).total, 1);
      });

      it('filters by name substring, case-sensitively and literally', async () => {
        await store.create(mesh('m'));
        for (const n of ['web-1', 'web-2', 'api', 'WEB-3', 'we%b', 'we_b']) await store.create(thing('m', n));
        const names = async (nameContains: string): Promise<string[]> =>
          (await store.list({ type: MESH_SCOPED, nameContains })).items.map((r) => r.meta.name);
        assert.deepEqual(await names('web'), ['web-1', 'web-2']);
        assert.deepEqual(await names('%'), ['we%b']);
        assert.deepEqual(await names('_'), ['we_b']);
        assert.deepEqual(await names('zzz'), []);
      });

      it('combines filters with pagination; total counts every match', async () => {
        await store.create(mesh('m'));
        await store.create(mesh('n'));
        for (let i = 0; i < 30; i++) {
          const labels = { parity: i % 2 === 0 ? 'even' : 'odd' };
          await store.create(thing('m', `svc-${String(i).padStart(2, '0')}`, { labels }));
          await store.create(thing('n', `svc-${String(i).padStart(2, '0')}`, { labels }));
        }
        const query = { type: MESH_SCOPED, mesh: 'm', labels: { parity: 'even' }, nameContains: 'svc-1' };
        const first = await store.list({ ...query, size: 3 });
        assert.equal(first.total, 5); // svc-10, 12, 14, 16, 18
        assert.deepEqual(
          first.items.map((r) => r.meta.name),
          ['svc-10', 'svc-12', 'svc-14'],
        );
        assert.equal(first.nextOffset, 3);
        const second = await store.list({ ...query, size: 3, offset: 3 });
        assert.deepEqual(
          second.items.map((r) => r.meta.name),
          ['svc-16', 'svc-18'],
        );
        assert.equal(second.total, 5);
        assert.equal(second.nextOffset, undefined);
      });

      it('walks 2,500 items in pages of 100 with no duplicates or gaps', async () => {
        await store.create(mesh('m1'));
        await store.create(mesh('m2'));
        const expected: string[] = [];
        // Created in a scrambled order (i * 7919 mod 2500 is a permutation) so order comes from the store.
        for (let i = 0; i < 2500; i++) {
          const n = (i * 7919) % 2500;
          const meshName = n % 3 === 0 ? 'm2' : 'm1';
          await store.create(thing(meshName, `dp-${String(n).padStart(4, '0')}`));
          expected.push(`${meshName}/dp-${String(n).padStart(4, '0')}`);
        }
        expected.sort();
        const seen: string[] = [];
        let offset: number | undefined = 0;
        let pages = 0;
        while (offset !== undefined) {
          const page = await store.list({ type: MESH_SCOPED, size: 100, offset });
          assert.equal(page.total, 2500);
          assert.ok(page.items.length <= 100);
          seen.push(...page.items.map((r) => `${r.meta.mesh}/${r.meta.name}`));
          offset = page.nextOffset;
          pages++;
        }
        assert.equal(pages, 25);
        assert.equal(new Set(seen).size, 2500);
        assert.deepEqual(seen, expected);
      });

      it('returns an empty last page past the end, with the total', async () => {
        await store.create(mesh('a'));
        await store.create(mesh('b'));
        const page = await store.list({ type: 'Mesh', offset: 5, size: 10 });
        assert.deepEqual(page, { items: [], total: 2 });
        const exact = await store.list({ type: 'Mesh', offset: 0, size: 2 });
        assert.equal(exact.items.length, 2);
        assert.equal(exact.nextOffset, undefined);
        const sized = await store.list({ type: 'Mesh', size: 1 });
        assert.equal(sized.nextOffset, 1);
      });

      it('lists nothing for an unknown type', async () => {
        await store.create(mesh('a'));
        assert.deepEqual(await store.list({ type: 'Nope' }), { items: [], total: 0 });
      });

      it('rejects invalid pages with Invalid', async () => {
        await rejectsWith(store.list({ type: 'Mesh', size: 0 }), 'Invalid');
        await rejectsWith(store.list({ type: 'Mesh', size: 1.5 }), 'Invalid');
        await rejectsWith(store.list({ type: 'Mesh', offset: -1 }), 'Invalid');
      });
    });

    describe('revision', () => {
      it('grows by one per write, and failed writes do not move it', async () => {
        const revisions = [await store.revision()];
        await store.create(mesh('a'));
        revisions.push(await store.revision());
        await store.update(mesh('a', { spec: {} }));
        revisions.push(await store.revision());
        await rejectsWith(store.update(mesh('a'), { expectedVersion: 999 }), 'Conflict');
        revisions.push(await store.revision());
        await store.delete({ type: 'Mesh', name: 'a' });
        revisions.push(await store.revision());
        assert.deepEqual(revisions, [0, 1, 2, 2, 3]);
      });

      it('sets meta.version to the revision of the last write of the resource', async () => {
        await store.create(mesh('a'));
        await store.create(mesh('b'));
        await store.update(mesh('a'));
        await store.create(mesh('c'));
        const versions = (await store.list({ type: 'Mesh' })).items.map((r) => r.meta.version);
        assert.deepEqual(versions, [3, 2, 4]);
      });
    });

    describe('snapshots', () => {
      it('never lets a caller mutate stored state through a returned resource', async () => {
        await store.create(mesh('m'));
        const input = thing('m', 'web', { labels: { a: '1' }, spec: { nested: { x: 1 } }, status: { s: 1 } });
        const created = await store.create(input);
        const before = structuredClone(created);
        const listed = (await store.list({ type: MESH_SCOPED })).items[0];
        const got = await store.get(keyOfThing('m', 'web'));
        for (const r of [created, listed, got]) {
          assert.ok(r);
          tryMutate(() => {
            (r.spec as { nested: { x: number } }).nested.x = 99;
          });
          tryMutate(() => {
            (r.meta.labels as Record<string, string>).a = 'changed';
          });
          tryMutate(() => {
            (r.meta as { version: number }).version = -1;
          });
          tryMutate(() => {
            (r.status as { s: number }).s = 99;
          });
        }
        assert.deepEqual(await store.get(keyOfThing('m', 'web')), before);
      });

      it('never lets a caller mutate stored state through its input or an event', async () => {
        await store.create(mesh('m'));
        const spec = { nested: { x: 1 } };
        const labels: Record<string, string> = { a: '1' };
        const events: ChangeEvent[] = [];
        store.subscribe((e) => events.push(e));
        await store.create({ type: MESH_SCOPED, mesh: 'm', name: 'web', spec, labels });
        spec.nested.x = 99;
        labels.a = 'changed';
        tryMutate(() => {
          ((events[0]?.resource.spec ?? {}) as { nested: { x: number } }).nested.x = 42;
        });
        const stored = await store.get(keyOfThing('m', 'web'));
        assert.deepEqual(stored?.spec, { nested: { x: 1 } });
        assert.deepEqual(stored?.meta.labels, { a: '1' });
      });
    });

    runBatchContract(() => store);

    describe('close', () => {
      it('is idempotent', async () => {
        await store.close();
        await store.close();
      });
    });
  });
}
