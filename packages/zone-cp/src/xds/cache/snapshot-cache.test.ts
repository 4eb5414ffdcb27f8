import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  Cluster_DiscoveryType,
  ClusterSchema,
  LISTENER_TYPE_URL,
} from '@strait/proto/envoy';
import { isStraitError } from '@strait/shared';
import { EMPTY_SET_VERSION, hashResourceSet } from './resource-hash.js';
import type { Snapshot } from './snapshot.js';
import { createSnapshotCache } from './snapshot-cache.js';

function cluster(name: string, connectTimeoutSeconds = 5n) {
  return create(ClusterSchema, {
    name,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.EDS },
    connectTimeout: { seconds: connectTimeoutSeconds },
  });
}

function clusters(...list: ReturnType<typeof cluster>[]) {
  return { [CLUSTER_TYPE_URL]: Object.fromEntries(list.map((c) => [c.name, c])) };
}

describe('createSnapshotCache', () => {
  it('hashes each resource and versions each type', () => {
    const cache = createSnapshotCache();
    const changed = cache.set('dp-1', clusters(cluster('a'), cluster('b')));
    assert.deepEqual([...changed], [CLUSTER_TYPE_URL]);
    const type = cache.get('dp-1')?.types.get(CLUSTER_TYPE_URL);
    assert.ok(type);
    assert.equal(type.resources.size, 2);
    const a = type.resources.get('a');
    assert.ok(a);
    assert.match(a.version, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(a.resource.typeUrl, CLUSTER_TYPE_URL);
    assert.equal(type.version, hashResourceSet(type.resources.values()));
  });

  it('keeps versions and objects of unchanged resources and reports only changed types', () => {
    const cache = createSnapshotCache();
    cache.set('dp-1', clusters(cluster('a'), cluster('b')));
    const first = cache.get('dp-1');
    const firstA = first?.types.get(CLUSTER_TYPE_URL)?.resources.get('a');

    // Identical content, freshly built objects, different insertion order: nothing changed.
    const calls: ReadonlySet<string>[] = [];
    cache.watch('dp-1', (_s, c) => calls.push(c));
    assert.equal(cache.set('dp-1', clusters(cluster('b'), cluster('a'))).size, 0);
    assert.equal(cache.get('dp-1'), first);
    assert.equal(calls.length, 0);

    // One resource changes: the other keeps its object and version.
    const changed = cache.set('dp-1', clusters(cluster('a'), cluster('b', 9n)));
    assert.deepEqual([...changed], [CLUSTER_TYPE_URL]);
    const second = cache.get('dp-1')?.types.get(CLUSTER_TYPE_URL);
    assert.equal(second?.resources.get('a'), firstA);
    assert.notEqual(second?.version, first?.types.get(CLUSTER_TYPE_URL)?.version);
    assert.equal(calls.length, 1);
  });

  it('reports a type that disappears as changed', () => {
    const cache = createSnapshotCache();
    cache.set('dp-1', { ...clusters(cluster('a')), [LISTENER_TYPE_URL]: {} });
    assert.deepEqual([...cache.set('dp-1', {})], [CLUSTER_TYPE_URL]);
    assert.equal(cache.get('dp-1')?.types.size, 0);
  });

  it('accepts pre-packed Any and Maps, and shares identical resources across proxies', () => {
    const cache = createSnapshotCache();
    cache.set('dp-1', { [CLUSTER_TYPE_URL]: new Map([['a', anyPack(ClusterSchema, cluster('a'))]]) });
    cache.set('dp-2', clusters(cluster('a')));
    const one = cache.get('dp-1')?.types.get(CLUSTER_TYPE_URL)?.resources.get('a');
    const two = cache.get('dp-2')?.types.get(CLUSTER_TYPE_URL)?.resources.get('a');
    assert.ok(one);
    assert.equal(one, two);
    assert.deepEqual(cache.stats(), { proxies: 2, distinctResources: 1 });

    cache.delete('dp-1');
    assert.deepEqual(cache.stats(), { proxies: 1, distinctResources: 1 });
    cache.set('dp-2', clusters(cluster('a', 7n)));
    assert.deepEqual(cache.stats(), { proxies: 1, distinctResources: 1 });
    cache.delete('dp-2');
    assert.deepEqual(cache.stats(), { proxies: 0, distinctResources: 0 });
  });

  it('rejects resources filed under the wrong type and keeps the previous snapshot', () => {
    const cache = createSnapshotCache();
    cache.set('dp-1', clusters(cluster('a')));
    const before = cache.get('dp-1');
    assert.throws(
      () => cache.set('dp-1', { [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]: { a: cluster('a') } }),
      (err) => isStraitError(err, 'Invalid') && err.violations.length === 1,
    );
    assert.equal(cache.get('dp-1'), before);
    assert.deepEqual(cache.stats(), { proxies: 1, distinctResources: 1 });
  });

  it('notifies watchers on the first snapshot even when it is empty, and stops after unsubscribe', () => {
    const cache = createSnapshotCache();
    const seen: Snapshot[] = [];
    const unsubscribe = cache.watch('dp-1', (s) => seen.push(s));
    cache.set('dp-1', {});
    assert.equal(seen.length, 1);
    unsubscribe();
    cache.set('dp-1', clusters(cluster('a')));
    assert.equal(seen.length, 1);
    assert.notEqual(hashResourceSet([]), '');
    assert.equal(EMPTY_SET_VERSION, hashResourceSet([]));
  });

  it('takes a type listing the very same objects as unchanged, and still sees changed content under a name', () => {
    const cache = createSnapshotCache();
    const a = cluster('a');
    const b = cluster('b');
    cache.set('dp-1', clusters(a, b));
    const first = cache.get('dp-1');
    assert.equal(cache.set('dp-1', clusters(a, b)).size, 0);
    assert.equal(cache.get('dp-1'), first);

    // A new object for `b` with other content: repacked, not taken for the old one.
    const changed = cache.set('dp-1', clusters(a, cluster('b', 9n)));
    assert.deepEqual([...changed], [CLUSTER_TYPE_URL]);
    const type = cache.get('dp-1')?.types.get(CLUSTER_TYPE_URL);
    assert.equal(type?.resources.get('a'), first?.types.get(CLUSTER_TYPE_URL)?.resources.get('a'));
    assert.notEqual(type?.resources.get('b')?.version, first?.types.get(CLUSTER_TYPE_URL)?.resources.get('b')?.version);

    // The same objects under other names, or one object fewer, are changes too.
    assert.deepEqual([...cache.set('dp-1', { [CLUSTER_TYPE_URL]: new Map([['c', a]]) })], [CLUSTER_TYPE_URL]);
    assert.deepEqual([...(cache.get('dp-1')?.types.get(CLUSTER_TYPE_URL)?.resources.keys() ?? [])], ['c']);
    assert.deepEqual([...cache.set('dp-1', {})], [CLUSTER_TYPE_URL]);
  });

  it('starts over after delete: the same objects make a new snapshot that watchers see', () => {
    const cache = createSnapshotCache();
    const a = cluster('a');
    cache.set('dp-1', clusters(a));
    cache.delete('dp-1');
    const seen: ReadonlySet<string>[] = [];
    cache.watch('dp-1', (_s, changed) => seen.push(changed));
    assert.deepEqual([...cache.set('dp-1', clusters(a))], [CLUSTER_TYPE_URL]);
    assert.equal(seen.length, 1);
    assert.equal(cache.get('dp-1')?.types.get(CLUSTER_TYPE_URL)?.resources.size, 1);
    assert.deepEqual(cache.stats(), { proxies: 1, distinctResources: 1 });
  });

  it('handles 5,000 proxies × 20 resources quickly, and a no-op regeneration faster still', () => {
    const cache = createSnapshotCache();
    const input = () => clusters(...Array.from({ length: 20 }, (_, i) => cluster(`service-${i}`, BigInt(i + 1))));
    let started = performance.now();
    for (let p = 0; p < 5_000; p++) cache.set(`dp-${p}`, input());
    const firstMs = performance.now() - started;
    started = performance.now();
    for (let p = 0; p < 5_000; p++) cache.set(`dp-${p}`, input());
    const againMs = performance.now() - started;
    assert.deepEqual(cache.stats(), { proxies: 5_000, distinctResources: 20 });
    // Generous bounds (shared CI machines); typical is well under a second each.
    assert.ok(firstMs < 10_000, `first fill took ${firstMs} ms`);
    assert.ok(againMs < 10_000, `regeneration took ${againMs} ms`);
  });
});
