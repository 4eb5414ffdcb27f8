import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource } from '../model/resource.js';
import type { TargetRef } from '../resources/common/target-ref.js';
import { comparePolicies, sortPolicies } from './order-policies.js';
import { policy } from './test-fixtures.js';

function mt(name: string, targetRef: TargetRef | undefined, labels: Record<string, string> = {}): Resource {
  return policy('MeshTimeout', name, { ...(targetRef === undefined ? {} : { targetRef }), to: [] }, labels);
}

const names = (ps: readonly Resource[]) => ps.map((p) => p.meta.name);

describe('sortPolicies', () => {
  it('orders by top-level specificity first, least specific first', () => {
    const got = sortPolicies([
      mt('a-subset', { kind: 'MeshServiceSubset', name: 'web', tags: { v: '1' } }),
      mt('b-service', { kind: 'MeshService', name: 'web' }),
      mt('c-mesh', { kind: 'Mesh' }),
      mt('d-subset', { kind: 'MeshSubset', tags: { v: '1' } }),
      mt('e-implicit-mesh', undefined),
      mt('f-dataplane', { kind: 'Dataplane', labels: { app: 'web' } }),
    ]);
    assert.deepEqual(names(got), ['e-implicit-mesh', 'c-mesh', 'f-dataplane', 'd-subset', 'b-service', 'a-subset']);
  });

  it('then puts zone-originated policies after (above) global ones', () => {
    const got = sortPolicies([
      mt('a', { kind: 'Mesh' }, { 'kuma.io/origin': 'zone' }),
      mt('b', { kind: 'Mesh' }, { 'kuma.io/origin': 'global' }),
      mt('c', { kind: 'MeshService', name: 'x' }, { 'kuma.io/origin': 'global' }),
    ]);
    assert.deepEqual(names(got), ['b', 'a', 'c']);
  });

  it('then orders by policy role', () => {
    const got = sortPolicies([
      mt('a', { kind: 'Mesh' }, { 'kuma.io/policy-role': 'workload-owner' }),
      mt('b', { kind: 'Mesh' }, { 'kuma.io/policy-role': 'consumer' }),
      mt('c', { kind: 'Mesh' }, { 'kuma.io/policy-role': 'producer' }),
      mt('d', { kind: 'Mesh' }),
    ]);
    assert.deepEqual(names(got), ['d', 'c', 'b', 'a']);
  });

  it('then by display name, inverted: the lexicographically smallest name comes last and wins', () => {
    const got = sortPolicies([mt('aaa', { kind: 'Mesh' }), mt('zzz', { kind: 'Mesh' }), mt('aaa1', { kind: 'Mesh' })]);
    assert.deepEqual(names(got), ['zzz', 'aaa1', 'aaa']);
  });

  it('compares synced policies by their display name, not the hashed name', () => {
    const a = mt('b-hash1', { kind: 'Mesh' }, { 'kuma.io/display-name': 'zeta' });
    const b = mt('a-hash2', { kind: 'Mesh' }, { 'kuma.io/display-name': 'alpha' });
    assert.ok(comparePolicies(a, b) < 0);
    assert.deepEqual(names(sortPolicies([b, a])), ['b-hash1', 'a-hash2']);
  });
});
