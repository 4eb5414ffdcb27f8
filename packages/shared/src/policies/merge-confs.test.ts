import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeConfs, mergePatch } from './merge-confs.js';

describe('mergePatch (RFC 7386)', () => {
  // The examples of RFC 7386, appendix A.
  const rfc: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, want] of rfc) {
    it(`${JSON.stringify(target)} + ${JSON.stringify(patch)}`, () => {
      assert.deepEqual(mergePatch(target, patch), want);
    });
  }

  it('replaces lists instead of appending', () => {
    assert.deepEqual(mergePatch({ retryOn: ['5xx', 'reset'] }, { retryOn: ['gateway-error'] }), {
      retryOn: ['gateway-error'],
    });
  });

  it('concatenates append* lists (Kuma appendProfiles)', () => {
    const got = mergePatch(
      { sidecar: { profiles: { appendProfiles: [{ name: 'Basic' }], exclude: [{ type: 'Regex', match: 'a' }] } } },
      { sidecar: { profiles: { appendProfiles: [{ name: 'All' }], exclude: [{ type: 'Exact', match: 'b' }] } } },
    );
    assert.deepEqual(got, {
      sidecar: {
        profiles: { appendProfiles: [{ name: 'Basic' }, { name: 'All' }], exclude: [{ type: 'Exact', match: 'b' }] },
      },
    });
  });

  it('never mutates or shares its inputs', () => {
    const target = { a: { b: [1] }, keep: { deep: { x: 1 } } };
    const patch = { a: { c: 2 } };
    const before = JSON.stringify([target, patch]);
    const got = mergePatch(target, patch) as { keep: { deep: { x: number } } };
    got.keep.deep.x = 99;
    assert.equal(JSON.stringify([target, patch]), before);
  });
});

describe('mergeConfs', () => {
  it('folds in order, later confs winning (the example of the Kuma docs)', () => {
    const got = mergeConfs([
      { conf: 1, sub: { array: [1, 2, 3], other: 50, 'other-array': [3, 4, 5] } },
      { sub: { array: [], 'other-array': [5, 6], extra: 2 } },
    ]);
    assert.deepEqual(got, { conf: 1, sub: { array: [], other: 50, 'other-array': [5, 6], extra: 2 } });
  });

  it('deletes with null and drops nulls of the first conf', () => {
    assert.deepEqual(
      mergeConfs([
        { a: 1, b: null },
        { a: null, c: { d: null, e: 2 } },
      ]),
      { c: { e: 2 } },
    );
  });

  it('is undefined for nothing and skips undefined confs', () => {
    assert.equal(mergeConfs([]), undefined);
    assert.deepEqual(mergeConfs([undefined, { a: 1 }, undefined]), { a: 1 });
  });

  it('merges route rules by matches when asked, more important rules first', () => {
    const low = {
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          default: { backendRefs: [{ kind: 'MeshService', name: 'v1' }] },
        },
        { matches: [{ path: { type: 'Exact', value: '/a' } }], default: { filters: [{ type: 'X' }], timeout: 1 } },
      ],
    };
    const high = {
      rules: [
        {
          matches: [{ path: { value: '/a', type: 'Exact' } }],
          default: { backendRefs: [{ kind: 'MeshService', name: 'a' }] },
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/b' } }],
          default: { backendRefs: [{ kind: 'MeshService', name: 'b' }] },
        },
      ],
    };
    assert.deepEqual(mergeConfs([low, high], { routeRules: true }), {
      rules: [
        {
          matches: [{ path: { value: '/a', type: 'Exact' } }],
          default: { filters: [{ type: 'X' }], timeout: 1, backendRefs: [{ kind: 'MeshService', name: 'a' }] },
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/b' } }],
          default: { backendRefs: [{ kind: 'MeshService', name: 'b' }] },
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          default: { backendRefs: [{ kind: 'MeshService', name: 'v1' }] },
        },
      ],
    });
    assert.deepEqual(mergeConfs([low, high]), high, 'without the option, rules are a list like any other');
  });
});
