import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStraitError } from '../errors/strait-error.js';
import type { TargetRef } from '../resources/common/target-ref.js';
import { buildFromRules, buildSubsetRules, findRule, type SubsetItem, type SubsetRule } from './from-rules.js';
import { mergeConfs } from './merge-confs.js';
import { selectsTags, type Tags } from './policy-spec.js';
import { policy } from './test-fixtures.js';

const SVC = 'kuma.io/service';

/** Every caller tag set over the keys and values the items mention, plus an unrelated value per key. */
function callers(items: readonly SubsetItem[]): Tags[] {
  const values = new Map<string, Set<string>>();
  for (const item of items) {
    for (const [k, v] of Object.entries(item.subset)) values.set(k, (values.get(k) ?? new Set()).add(v));
  }
  let out: Record<string, string>[] = [{}];
  for (const [k, vs] of values) {
    const choices = [undefined, ...vs, 'something-else'];
    out = out.flatMap((t) => choices.map((v) => (v === undefined ? t : { ...t, [k]: v })));
  }
  return out;
}

/** What Kuma says a caller gets: the merge, in item order, of every item covering it. */
function expected(items: readonly SubsetItem[], caller: Tags): unknown {
  return mergeConfs(items.filter((i) => selectsTags(i.subset, caller)).map((i) => i.conf));
}

/** Checks the first-match rules against the definition for every caller. */
function assertFirstMatchIsRight(items: readonly SubsetItem[], rules: readonly SubsetRule[]): void {
  for (const caller of callers(items)) {
    assert.deepEqual(findRule(rules, caller)?.conf, expected(items, caller), `caller ${JSON.stringify(caller)}`);
  }
}

function item(subset: Tags, action: string, origin = 'p'): SubsetItem {
  return { subset, conf: { action }, origin };
}

const view = (rules: readonly SubsetRule[]) =>
  rules.map((r) => ({ subset: r.subset, action: (r.conf as { action: string }).action, origins: r.origins }));

describe('buildSubsetRules', () => {
  const cases: { name: string; items: SubsetItem[]; want: ReturnType<typeof view> }[] = [
    {
      name: 'Mesh Allow + MeshService web Deny',
      items: [item({}, 'Allow', 'allow-all'), item({ [SVC]: 'web' }, 'Deny', 'deny-web')],
      want: [
        { subset: { [SVC]: 'web' }, action: 'Deny', origins: ['allow-all', 'deny-web'] },
        { subset: {}, action: 'Allow', origins: ['allow-all'] },
      ],
    },
    {
      name: 'a later Mesh item overrides an earlier, more specific one',
      items: [item({ [SVC]: 'web' }, 'Allow'), item({}, 'Deny')],
      want: [{ subset: {}, action: 'Deny', origins: ['p'] }],
    },
    {
      name: 'MeshSubset + MeshService overlap in a rule of their own',
      items: [item({ [SVC]: 'web' }, 'Allow', 'web'), item({ zone: 'east' }, 'Deny', 'east')],
      want: [
        { subset: { [SVC]: 'web', zone: 'east' }, action: 'Deny', origins: ['web', 'east'] },
        { subset: { [SVC]: 'web' }, action: 'Allow', origins: ['web'] },
        { subset: { zone: 'east' }, action: 'Deny', origins: ['east'] },
      ],
    },
    {
      name: 'a rule that changes nothing is dropped',
      items: [item({ zone: 'east' }, 'Deny', 'east'), item({ [SVC]: 'web' }, 'Allow', 'web')],
      want: [
        { subset: { [SVC]: 'web' }, action: 'Allow', origins: ['web'] },
        { subset: { zone: 'east' }, action: 'Deny', origins: ['east'] },
      ],
    },
    {
      name: 'two services exclude each other',
      items: [item({}, 'Deny'), item({ [SVC]: 'a' }, 'Allow'), item({ [SVC]: 'b' }, 'AllowWithShadowDeny')],
      want: [
        { subset: { [SVC]: 'a' }, action: 'Allow', origins: ['p'] },
        { subset: { [SVC]: 'b' }, action: 'AllowWithShadowDeny', origins: ['p'] },
        { subset: {}, action: 'Deny', origins: ['p'] },
      ],
    },
    {
      name: 'no items, no rules',
      items: [],
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const rules = buildSubsetRules(c.items);
      assert.deepEqual(view(rules), c.want);
      assertFirstMatchIsRight(c.items, rules);
    });
  }

  it('is right for every caller on a tangle of overlapping subsets with partial confs', () => {
    const items: SubsetItem[] = [
      { subset: {}, conf: { a: 1, b: 1 }, origin: 'p1' },
      { subset: { zone: 'east' }, conf: { b: 2, c: 2 }, origin: 'p2' },
      { subset: { [SVC]: 'web', version: 'v1' }, conf: { a: 3 }, origin: 'p3' },
      { subset: { [SVC]: 'web' }, conf: { c: 4, d: 4 }, origin: 'p4' },
      { subset: { version: 'v1', zone: 'west' }, conf: { d: null, e: 5 }, origin: 'p5' },
      { subset: { [SVC]: 'db' }, conf: { a: 6 }, origin: 'p6' },
      { subset: { zone: 'east', env: 'prod' }, conf: { b: null }, origin: 'p7' },
    ];
    const rules = buildSubsetRules(items);
    assertFirstMatchIsRight(items, rules);
    for (let i = 1; i < rules.length; i++) {
      const prev = Object.keys(rules[i - 1]?.subset ?? {}).length;
      assert.ok(prev >= Object.keys(rules[i]?.subset ?? {}).length, 'most specific subsets first');
    }
  });

  it('is right for every caller on random item lists (seeded)', () => {
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const keys = [SVC, 'zone', 'version'];
    for (let run = 0; run < 300; run++) {
      const items: SubsetItem[] = [];
      for (let i = 0, n = 1 + rand(6); i < n; i++) {
        const subset: Record<string, string> = {};
        for (const k of keys) if (rand(3) === 0) subset[k] = ['a', 'b'][rand(2)] ?? 'a';
        const conf: Record<string, unknown> = {};
        for (const f of ['x', 'y']) if (rand(2) === 0) conf[f] = rand(3) === 0 ? null : rand(3);
        items.push({ subset, conf, origin: `p${i}` });
      }
      assertFirstMatchIsRight(items, buildSubsetRules(items));
    }
  });

  it('matches nobody when no item covers the caller', () => {
    const rules = buildSubsetRules([item({ [SVC]: 'web' }, 'Allow')]);
    assert.equal(findRule(rules, { [SVC]: 'db' }), undefined);
  });

  it('refuses to build more rules than allowed', () => {
    const items = ['a', 'b', 'c', 'd', 'e'].map((k) => item({ [k]: '1' }, 'Allow'));
    assert.equal(buildSubsetRules(items).length, 5, 'the 31 candidates all say Allow');
    assert.throws(
      () => buildSubsetRules(items, { maxRules: 16 }),
      (err) => isStraitError(err, 'Invalid'),
    );
  });
});

describe('buildFromRules', () => {
  const mtp = (name: string, from: { targetRef: TargetRef; action: string }[]) =>
    policy('MeshTrafficPermission', name, {
      targetRef: { kind: 'Mesh' },
      from: from.map((f) => ({ targetRef: f.targetRef, default: { action: f.action } })),
    });

  it('concatenates the from[] of policies in the order given; same specificity ordered by name beforehand', () => {
    // In fold order: 'zeta' before 'alpha' (inverted name order), so alpha wins.
    const rules = buildFromRules([
      mtp('zeta', [{ targetRef: { kind: 'Mesh' }, action: 'Deny' }]),
      mtp('alpha', [{ targetRef: { kind: 'Mesh' }, action: 'Allow' }]),
    ]);
    assert.deepEqual(view(rules), [{ subset: {}, action: 'Allow', origins: ['zeta', 'alpha'] }]);
  });

  it('maps every tag-based kind to its subset', () => {
    const rules = buildFromRules([
      mtp('p', [
        { targetRef: { kind: 'MeshSubset', tags: { version: 'v1' } }, action: 'Allow' },
        { targetRef: { kind: 'MeshService', name: 'web' }, action: 'AllowWithShadowDeny' },
        { targetRef: { kind: 'MeshServiceSubset', name: 'web', tags: { version: 'v1' } }, action: 'Deny' },
      ]),
    ]);
    assert.deepEqual(view(rules), [
      { subset: { [SVC]: 'web', version: 'v1' }, action: 'Deny', origins: ['p'] },
      { subset: { [SVC]: 'web' }, action: 'AllowWithShadowDeny', origins: ['p'] },
      { subset: { version: 'v1' }, action: 'Allow', origins: ['p'] },
    ]);
  });
});
