/**
 * The `applyBatch` part of the store contract suite: one transaction for many ops, events
 * only after the commit and exactly as the single-op calls would emit them, and nothing at all
 * written when any op fails. Registered by `runStoreContract`, so every store runs it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ErrorCode, isStraitError, type StraitError } from '../errors/strait-error.js';
import type { Resource } from '../model/resource.js';
import {
  GLOBAL_SCOPED,
  keyOfThing,
  MESH_SCOPED,
  mesh,
  OTHER_MESH_SCOPED,
  printable,
  record,
  rejectsWith,
  thing,
  zoneThing,
} from './contract-fixtures.js';
import type { ResourceStore, WriteOp } from './store.js';

/** Everything a store holds, every type the suite writes, plus its revision. */
async function everything(store: ResourceStore): Promise<{ revision: number; items: readonly Resource[] }> {
  const items: Resource[] = [];
  for (const type of ['Mesh', MESH_SCOPED, OTHER_MESH_SCOPED, GLOBAL_SCOPED]) {
    items.push(...(await store.list({ type })).items);
  }
  return { revision: await store.revision(), items };
}

/** Asserts that the batch rejects with `code` and returns the error. */
async function batchFails(store: ResourceStore, ops: readonly WriteOp[], code: ErrorCode): Promise<StraitError> {
  let caught: unknown;
  await assert.rejects(
    store.applyBatch(ops).catch((err: unknown) => {
      caught = err;
      throw err;
    }),
  );
  assert.ok(isStraitError(caught), `expected a StraitError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

/** Registers the batch cases; `current` is the fresh store of the running case. */
export function runBatchContract(current: () => ResourceStore): void {
  describe('applyBatch', () => {
    it('applies creates, updates and deletes in order, each op seeing the ones before it', async () => {
      const store = current();
      await store.create(mesh('old'));
      await store.create(thing('old', 'gone'));
      await store.create(zoneThing('z'));
      const events = await store.applyBatch([
        { op: 'create', input: mesh('new') },
        { op: 'create', input: thing('new', 'web', { owner: { type: GLOBAL_SCOPED, name: 'z' } }) },
        { op: 'update', input: thing('new', 'web', { spec: { port: 1 }, labels: { v: '2' } }) },
        { op: 'delete', key: keyOfThing('old', 'gone') },
        { op: 'create', input: thing('old', 'gone', { spec: { again: true } }) },
      ]);
      assert.deepEqual(
        events.map((e) => `${e.op} ${printable(e.key)} @${e.revision}`),
        [
          `create Mesh//new @4`,
          `create ${MESH_SCOPED}/new/web @5`,
          `update ${MESH_SCOPED}/new/web @6`,
          `delete ${MESH_SCOPED}/old/gone @7`,
          `create ${MESH_SCOPED}/old/gone @8`,
        ],
      );
      const web = await store.get(keyOfThing('new', 'web'));
      assert.deepEqual(web?.spec, { port: 1 });
      assert.deepEqual(web?.meta.labels, { v: '2' });
      assert.deepEqual(web?.meta.owner, { type: GLOBAL_SCOPED, name: 'z' }, 'the update keeps the owner');
      assert.equal(web?.meta.version, 6);
      assert.deepEqual(events[2]?.resource, web);
      assert.deepEqual((await store.get(keyOfThing('old', 'gone')))?.spec, { again: true });
      assert.equal(await store.revision(), 8);
      // The sorted listing is intact after a delete and a create of the same key in one batch.
      assert.deepEqual((await store.list({ type: MESH_SCOPED })).items.map(printable), [
        `${MESH_SCOPED}/new/web`,
        `${MESH_SCOPED}/old/gone`,
      ]);
    });

    it('emits the events the same single-op writes would, a delete’s cascade included', async () => {
      const store = current();
      await store.create(mesh('m'));
      await store.create(thing('m', 'a'));
      await store.create(thing('m', 'b'));
      const { events } = record(store);
      const returned = await store.applyBatch([
        { op: 'update', input: thing('m', 'a', { spec: { v: 2 } }) },
        { op: 'delete', key: { type: 'Mesh', name: 'm' } },
        { op: 'create', input: zoneThing('after') },
      ]);
      assert.deepEqual(events, returned);
      assert.deepEqual(
        events.map((e) => e.op),
        ['update', 'delete', 'delete', 'delete', 'create'],
      );
      assert.deepEqual(
        events.map((e) => e.revision),
        [4, 5, 6, 7, 8],
      );
      assert.deepEqual(
        events
          .slice(1, 3)
          .map((e) => printable(e.key))
          .sort(),
        [`${MESH_SCOPED}/m/a`, `${MESH_SCOPED}/m/b`],
      );
      assert.equal(printable(events[3]?.key ?? { type: '', name: '' }), 'Mesh//m', 'the owner is deleted last');
      assert.deepEqual(events.find((e) => e.op === 'delete' && e.key.name === 'a')?.resource, events[0]?.resource);
      assert.equal(events[4]?.resource.meta.version, 8);
    });

    it('publishes the events only after every op is committed, before the call resolves', async () => {
      const store = current();
      const seen: Promise<unknown>[] = [];
      let delivered = 0;
      store.subscribe((e) => {
        delivered += 1;
        // Started inside the first listener call: reads what is committed at that instant.
        if (delivered === 1) {
          assert.equal(e.op, 'create');
          seen.push(store.get(keyOfThing('m', 'last')), store.revision());
        }
      });
      const pending = store.applyBatch([
        { op: 'create', input: mesh('m') },
        { op: 'create', input: thing('m', 'first') },
        { op: 'create', input: thing('m', 'last') },
      ]);
      const deliveredAtResolve = await pending.then(() => delivered);
      assert.equal(deliveredAtResolve, 3);
      const [last, revision] = await Promise.all(seen);
      assert.equal((last as Resource | undefined)?.meta.name, 'last');
      assert.equal(revision, 3);
    });

    it('writes nothing when the last op fails, and names that op', async () => {
      const store = current();
      await store.create(mesh('a'));
      const x = await store.create(thing('a', 'x'));
      await store.create(thing('a', 'y'));
      await store.create(zoneThing('z'));
      const before = await everything(store);
      const { events } = record(store);
      const err = await batchFails(
        store,
        [
          { op: 'create', input: mesh('b') },
          { op: 'create', input: thing('b', 'web') },
          { op: 'update', input: thing('a', 'x', { spec: { changed: true } }) },
          { op: 'delete', key: keyOfThing('a', 'y') },
          { op: 'create', input: thing('a', 'y', { spec: { again: true } }) },
          { op: 'delete', key: { type: 'Mesh', name: 'b' } },
          { op: 'create', input: thing('a', 'orphan', { owner: { type: GLOBAL_SCOPED, name: 'missing' } }) },
        ],
        'NotFound',
      );
      assert.match(err.message, /batch op 6 \(create TrafficThing a\/orphan\)/);
      assert.ok(isStraitError(err.cause, 'NotFound'), 'the op’s own error is the cause');
      assert.deepEqual(await everything(store), before);
      assert.deepEqual(events, []);
      assert.deepEqual(await store.get(keyOfThing('a', 'x')), x);
      // The revision counter did not move: the next write takes the next number.
      const next = await store.create(zoneThing('next'));
      assert.equal(next.meta.version, before.revision + 1);
    });

    it('fails with the failing op’s code: AlreadyExists, Conflict, NotFound, Invalid', async () => {
      const store = current();
      const m = await store.create(mesh('m'));
      const before = await everything(store);
      const { events } = record(store);
      const create = { op: 'create', input: zoneThing('first') } as const;
      const taken = await batchFails(store, [create, { op: 'create', input: mesh('m') }], 'AlreadyExists');
      assert.match(taken.message, /batch op 1 \(create Mesh m\)/);
      const stale = await batchFails(
        store,
        [create, { op: 'update', input: mesh('m', { spec: {} }), options: { expectedVersion: m.meta.version + 1 } }],
        'Conflict',
      );
      assert.match(stale.message, /batch op 1 \(update Mesh m\)/);
      await batchFails(store, [create, { op: 'delete', key: { type: 'Mesh', name: 'nope' } }], 'NotFound');
      await batchFails(store, [create, { op: 'update', input: mesh('nope') }], 'NotFound');
      const twice = await batchFails(store, [create, create], 'AlreadyExists');
      assert.match(twice.message, /batch op 1 \(create ZoneThing first\)/, 'the second op sees the first');
      const malformed = await batchFails(store, [create, { op: 'create', input: mesh('') }], 'Invalid');
      assert.ok(
        malformed.violations.some((v) => v.field === 'ops[1].name'),
        JSON.stringify(malformed.violations),
      );
      const unknownOp = await batchFails(store, [create, { op: 'upsert', input: mesh('x') } as never], 'Invalid');
      assert.ok(unknownOp.violations.some((v) => v.field === 'ops[1].op'));
      assert.deepEqual(await everything(store), before);
      assert.deepEqual(events, []);
    });

    it('writes and emits nothing for an empty batch', async () => {
      const store = current();
      await store.create(mesh('m'));
      const { events } = record(store);
      assert.deepEqual(await store.applyBatch([]), []);
      assert.equal(await store.revision(), 1);
      assert.deepEqual(events, []);
    });

    it('fails with Unavailable once the store is closed', async () => {
      const store = current();
      await store.close();
      await rejectsWith(store.applyBatch([{ op: 'create', input: mesh('m') }]), 'Unavailable');
      await rejectsWith(store.applyBatch([]), 'Unavailable');
    });
  });
}
