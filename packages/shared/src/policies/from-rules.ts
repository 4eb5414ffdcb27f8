/**
 * Inbound "from" rules: which conf applies to traffic from which callers.
 *
 * Input: the `from[]` items of all policies that select an inbound, concatenated in fold
 * order (policies least important first, then each policy's `from[]` in written order).
 * Each item's targetRef is a *subset* of callers by their tags: `Mesh` = `{}` (everyone),
 * `MeshSubset{tags}` = tags, `MeshService{name}` = `{kuma.io/service: name}`,
 * `MeshServiceSubset{name, tags}` = both. For a caller with tags T, Kuma's answer is the
 * merge, in item order, of the confs of every item whose subset is contained in T (so a
 * later item overrides an earlier one, whatever their specificity).
 *
 * Output: rules `{subset, conf}` ordered so that the *first* rule whose subset is contained
 * in T carries exactly that answer, using positive tags only (what Envoy RBAC principals
 * and our `PermissionRule` can say). The algorithm:
 *
 * 1. Candidate subsets are the closure of the items' subsets under union of *compatible*
 *    subsets (no key with two different values): every set of items that can match one
 *    caller together has its union in the closure.
 * 2. The conf of a candidate U is the merge, in item order, of every item whose subset is
 *    contained in U (all less-or-equally-specific items that also cover U).
 * 3. Rules are sorted by number of tags, most first. For a caller T, the union U(T) of the
 *    subsets of all items matching T is a candidate, contains every other candidate that
 *    matches T, and covers exactly the items matching T, so it is the first match and its
 *    conf is right. A caller that matches no item matches no rule.
 * 4. Redundant rules are dropped, least specific first: without rule R, every caller that
 *    R caught falls through to the same rule, the first kept rule whose subset is inside R;
 *    R goes when that rule has an equal conf.
 *
 * E.g. Mesh Allow + MeshService web Deny → `[{web}: Deny, {}: Allow]`. The closure is small
 * in practice (items on `kuma.io/service` values exclude each other), but tags on unrelated
 * keys multiply, so its size is capped ({@link SubsetRuleOptions.maxRules}). Kuma instead
 * enumerates every combination of negated tags, which grows as 2^tags.
 */
import { StraitError } from '../errors/strait-error.js';
import type { Resource } from '../model/resource.js';
import { SERVICE_TAG } from '../resources/common/tags.js';
import type { TargetRef } from '../resources/common/target-ref.js';
import { canonicalJson, mergeConfs } from './merge-confs.js';
import { policySpec, selectsTags, type Tags } from './policy-spec.js';

/** One `from[]` item: a subset of callers, its conf and the policy it came from. */
export interface SubsetItem {
  readonly subset: Tags;
  readonly conf: unknown;
  /** Name of the policy the item came from. */
  readonly origin: string;
}

/** A rule for callers whose tags include all of `subset`; the first matching rule decides. */
export interface SubsetRule {
  readonly subset: Tags;
  readonly conf: unknown;
  /** Names of the policies whose items were folded into `conf`, in fold order. */
  readonly origins: readonly string[];
}

/** Options of {@link buildSubsetRules}. */
export interface SubsetRuleOptions {
  /** Refuse (code `Invalid`) to build more rules than this. Default 4096. */
  readonly maxRules?: number;
}

const DEFAULT_MAX_RULES = 4096;

/** The caller subset a `from[]` targetRef names, or `undefined` for kinds that are not tag-based. */
export function subsetOf(ref: TargetRef): Tags | undefined {
  switch (ref.kind) {
    case 'Mesh':
      return {};
    case 'MeshSubset':
      return { ...ref.tags };
    case 'MeshService':
      return { [SERVICE_TAG]: ref.name ?? '' };
    case 'MeshServiceSubset':
      return { ...ref.tags, [SERVICE_TAG]: ref.name ?? '' };
    default:
      return undefined;
  }
}

/** A subset as sorted entries, with its canonical key. */
interface Subset {
  readonly key: string;
  readonly tags: ReadonlyMap<string, string>;
}

function toSubset(tags: ReadonlyMap<string, string> | Tags): Subset {
  const entries = (tags instanceof Map ? [...tags] : Object.entries(tags)) as [string, string][];
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { key: JSON.stringify(entries), tags: new Map(entries) };
}

/** Union of two subsets, or `undefined` when they disagree on a key (no caller has both). */
function union(a: Subset, b: Subset): Subset | undefined {
  const out = new Map(a.tags);
  for (const [k, v] of b.tags) {
    const mine = out.get(k);
    if (mine === undefined) out.set(k, v);
    else if (mine !== v) return undefined;
  }
  return out.size === a.tags.size ? a : toSubset(out);
}

function closure(base: readonly Subset[], maxRules: number): Subset[] {
  const seen = new Map<string, Subset>(base.map((s) => [s.key, s]));
  const work = [...seen.values()];
  for (let next = work.pop(); next !== undefined; next = work.pop()) {
    for (const b of base) {
      const u = union(next, b);
      if (u === undefined || seen.has(u.key)) continue;
      if (seen.size >= maxRules) {
        throw new StraitError('Invalid', `overlapping from[] subsets need more than ${maxRules} rules`, {
          violations: [{ field: 'spec.from', reason: `overlapping subsets need more than ${maxRules} rules` }],
        });
      }
      seen.set(u.key, u);
      work.push(u);
    }
  }
  return [...seen.values()];
}

function toRecord(tags: ReadonlyMap<string, string>): Record<string, string> {
  return Object.fromEntries(tags);
}

/** Builds first-match rules from items in fold order (see the module comment). */
export function buildSubsetRules(items: readonly SubsetItem[], options: SubsetRuleOptions = {}): SubsetRule[] {
  if (items.length === 0) return [];
  const subsets = items.map((item) => toSubset(item.subset));
  const base = [...new Map(subsets.map((s) => [s.key, s])).values()];
  const candidates = closure(base, options.maxRules ?? DEFAULT_MAX_RULES);
  candidates.sort((a, b) => b.tags.size - a.tags.size || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rules = candidates.map((candidate) => {
    const confs: unknown[] = [];
    const origins: string[] = [];
    items.forEach((item, i) => {
      const s = subsets[i];
      if (s === undefined || !contains(candidate, s)) return;
      confs.push(item.conf);
      if (!origins.includes(item.origin)) origins.push(item.origin);
    });
    return { subset: toRecord(candidate.tags), conf: mergeConfs(confs), origins };
  });
  return withoutRedundant(candidates, rules);
}

function contains(outer: Subset, inner: Subset): boolean {
  if (inner.tags.size > outer.tags.size) return false;
  for (const [k, v] of inner.tags) if (outer.tags.get(k) !== v) return false;
  return true;
}

/** Step 4 of the module comment; `candidates[i]` is the subset of `rules[i]`. */
function withoutRedundant(candidates: readonly Subset[], rules: readonly SubsetRule[]): SubsetRule[] {
  const confKeys = rules.map((r) => canonicalJson(r.conf));
  const kept = rules.map(() => true);
  for (let i = rules.length - 2; i >= 0; i--) {
    const outer = candidates[i];
    if (outer === undefined) continue;
    // Only later (smaller) rules can lie inside this one.
    for (let j = i + 1; j < rules.length; j++) {
      const inner = candidates[j];
      if (!kept[j] || inner === undefined || !contains(outer, inner)) continue;
      if (confKeys[j] === confKeys[i]) kept[i] = false;
      break;
    }
  }
  return rules.filter((_, i) => kept[i]);
}

/**
 * The `from[]` items of `policies` (already in fold order), with their subsets. Items whose
 * targetRef is not tag-based (e.g. `MeshGateway`) are skipped.
 */
export function fromItems(policies: readonly Resource[]): SubsetItem[] {
  const out: SubsetItem[] = [];
  for (const policy of policies) {
    for (const entry of policySpec(policy).from ?? []) {
      const subset = entry.targetRef === undefined ? undefined : subsetOf(entry.targetRef);
      if (subset !== undefined) out.push({ subset, conf: entry.default, origin: policy.meta.name });
    }
  }
  return out;
}

/** The from rules of an inbound selected by `policies` (in fold order). */
export function buildFromRules(policies: readonly Resource[], options: SubsetRuleOptions = {}): SubsetRule[] {
  return buildSubsetRules(fromItems(policies), options);
}

/** The first rule whose subset the caller's tags contain, i.e. the one that decides. */
export function findRule<R extends { readonly subset: Tags }>(rules: readonly R[], callerTags: Tags): R | undefined {
  return rules.find((r) => selectsTags(r.subset, callerTags));
}
