import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../store/memory-store.js';
import type { ListPage, ListQuery, ResourceStore, WriteOp } from '../store/store.js';
import { kdsHashedName } from './kds-hashed-name.js';
import { mtp } from './kds-test-helpers.js';
import { capturingLog, onWire, startReceiver } from './receiver-test-kit.js';

const MTP = 'MeshTrafficPermission';
const GLOBAL_COPY = { 'kuma.io/origin': 'global', 'kuma.io/display-name': 'x' };

/**
 * A zone store with mesh `default` that records every batch and read, refuses single-resource
 * writes (the receiver must not use them), and runs `afterList` once after the next listing of
 * MeshTrafficPermissions, as another writer would between the receiver's read and its write.
 */
async function spiedStore() {
  const inner = createMemoryStore();
  await inner.create({ type: 'Mesh', name: 'default', labels: { 'kuma.io/origin': 'global' }, spec: {} });
  const batches: WriteOp[][] = [];
  const reads = { get: 0, list: 0 };
  let afterList: (() => Promise<unknown>) | undefined;
  const refuse = async (): Promise<never> => assert.fail('the receiver writes only in batches');
  const store: ResourceStore = {
    ...inner,
    create: refuse,
    update: refuse,
    delete: refuse,
    async applyBatch(ops) {
      batches.push([...ops]);
      return inner.applyBatch(ops);
    },
    async get(key) {
      reads.get += 1;
      return inner.get(key);
    },
    async list(query: ListQuery): Promise<ListPage> {
      reads.list += 1;
      const page = await inner.list(query);
      const hook = query.type === MTP ? afterList : undefined;
      afterList = undefined;
      await hook?.();
      return page;
    },
  };
  return {
    store,
    inner,
    batches,
    reads,
    afterNextList: (hook: () => Promise<unknown>) => {
      afterList = hook;
    },
  };
}

describe('delta receiver: one transaction per response', () => {
  it('stores a response with one batch, read from one listing; removals go in the same batch', async () => {
    const { store, inner, batches, reads } = await spiedStore();
    const { log, lines } = capturingLog();
    const { receiver, events, respond } = startReceiver(store, log);
    await receiver.start();
    const before = { ...reads };

    assert.equal(await respond(MTP, [onWire(mtp('a')), onWire(mtp('b')), onWire(mtp('c'))]), 'ACK');
    assert.equal(batches.length, 1, 'one response, one batch');
    assert.deepEqual(
      batches[0]?.map((op) => op.op),
      ['create', 'create', 'create'],
    );
    assert.deepEqual(
      { get: reads.get - before.get, list: reads.list - before.list },
      { get: 0, list: 1 },
      'the held copies are listed once instead of one get per resource',
    );
    assert.deepEqual(
      events.map((e) => e.revision),
      [2, 3, 4],
    );

    const [a, c] = [kdsHashedName('default', 'a'), kdsHashedName('default', 'c')];
    const changed = onWire(mtp('a', 'Deny'));
    const answer = await respond(MTP, [changed, onWire(mtp('b'))], [`default/${c}`, `default/${c}`]);
    assert.equal(answer, 'ACK');
    assert.equal(batches.length, 2);
    assert.deepEqual(
      batches[1]?.map((op) => `${op.op} ${op.op === 'delete' ? op.key.name : op.input.name}`),
      [`update ${a}`, `delete ${c}`],
      'unchanged b is skipped; c, named twice, is deleted once',
    );
    assert.equal(await inner.get({ type: MTP, mesh: 'default', name: c }), undefined);
    const deletes = lines().filter((l) => l.msg === 'KDS deleted a resource the peer removed');
    assert.deepEqual(
      deletes.map((l) => [l.type, l.mesh, l.name, l.displayName]),
      [[MTP, 'default', c, 'c']],
    );
  });

  it('NACKs a response whose batch fails in the store, having written none of it', async () => {
    const { store, inner, batches } = await spiedStore();
    const { receiver, events, respond } = startReceiver(store);
    await receiver.start();
    const orphan = onWire(mtp('orphan', 'Allow', 'no-such-mesh'));
    const answer = await respond(MTP, [onWire(mtp('a')), onWire(mtp('b')), orphan]);
    assert.match(answer, /^could not apply: batch op 2 \(create MeshTrafficPermission no-such-mesh\//);
    assert.match(answer, /mesh "no-such-mesh" not found/);
    assert.deepEqual(events, [], 'the two good policies were not written either');
    assert.equal((await inner.list({ type: MTP })).total, 0);
    assert.equal(batches.length, 2, 'tried once more from exact reads before refusing');
    // The same response without the bad policy is stored whole.
    assert.equal(await respond(MTP, [onWire(mtp('a')), onWire(mtp('b'))]), 'ACK');
    assert.equal((await inner.list({ type: MTP })).total, 2);
  });

  it('validates again when the store changed between its read and its write', async () => {
    const { store, inner, afterNextList } = await spiedStore();
    const { receiver, respond } = startReceiver(store);
    await receiver.start();
    const name = kdsHashedName('default', 'p');
    // Another writer stores a copy of the global's behind the listing: the create meets it,
    // and the second pass updates it.
    afterNextList(() => inner.create({ ...mtp(name, 'Deny'), labels: GLOBAL_COPY }));
    assert.equal(await respond(MTP, [onWire(mtp('p'))]), 'ACK');
    const stored = await inner.get({ type: MTP, mesh: 'default', name });
    assert.deepEqual(stored?.spec, mtp('p').spec, 'the content of the response, not the other writer’s');
    assert.equal(stored?.meta.labels['kuma.io/display-name'], 'p');

    // A zone-local policy appears behind the listing instead: the second pass refuses to replace it.
    const other = kdsHashedName('default', 'q');
    afterNextList(() => inner.create({ ...mtp(other, 'Deny'), labels: { 'kuma.io/origin': 'zone' } }));
    const refused = await respond(MTP, [onWire(mtp('q')), onWire(mtp('r'))]);
    assert.match(refused, /would replace a MeshTrafficPermission that did not come from this peer/);
    assert.equal((await inner.get({ type: MTP, mesh: 'default', name: other }))?.meta.labels['kuma.io/origin'], 'zone');
    assert.equal(await inner.get({ type: MTP, mesh: 'default', name: kdsHashedName('default', 'r') }), undefined);
  });
});
