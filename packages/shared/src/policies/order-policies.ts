/**
 * The order in which matched policies are folded, least important first (so later ones
 * win a JSON merge patch), as Kuma sorts them (`SortByTargetRef` / `CompareByPolicyAttributes`):
 *
 * 1. specificity of the top-level targetRef ({@link targetRefSpecificity});
 * 2. origin: `kuma.io/origin: global` before `zone` (a zone's own policy beats the global's);
 * 3. policy role (`kuma.io/policy-role`): system < producer < consumer < workload-owner;
 * 4. display name in *inverted* lexicographic order: `zzz` comes first and `aaa` last, so
 *    among otherwise equal policies the lexicographically smallest name wins.
 */
import type { Resource } from '../model/resource.js';
import { displayName, ORIGIN_LABEL, POLICY_ROLE_LABEL, policySpec } from './policy-spec.js';
import { targetRefSpecificity } from './select-proxy.js';

const ORIGIN_RANK: Readonly<Record<string, number>> = { global: 1, zone: 2 };
const ROLE_RANK: Readonly<Record<string, number>> = { system: 0, producer: 1, consumer: 2, 'workload-owner': 3 };

interface SortKey {
  readonly specificity: number;
  readonly origin: number;
  readonly role: number;
  readonly name: string;
}

function sortKey(policy: Resource, specificity: number): SortKey {
  const labels = policy.meta.labels;
  return {
    specificity,
    origin: ORIGIN_RANK[labels[ORIGIN_LABEL] ?? ''] ?? 0,
    role: ROLE_RANK[labels[POLICY_ROLE_LABEL] ?? ''] ?? 0,
    name: displayName(policy),
  };
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a.specificity !== b.specificity) return a.specificity - b.specificity;
  if (a.origin !== b.origin) return a.origin - b.origin;
  if (a.role !== b.role) return a.role - b.role;
  if (a.name === b.name) return 0;
  return a.name > b.name ? -1 : 1;
}

/**
 * Compares two policies in fold order: negative when `a` comes first (is overridden by `b`).
 * Specificity is computed from each policy's top-level targetRef.
 */
export function comparePolicies(a: Resource, b: Resource): number {
  return compareKeys(
    sortKey(a, targetRefSpecificity(policySpec(a).targetRef)),
    sortKey(b, targetRefSpecificity(policySpec(b).targetRef)),
  );
}

/**
 * Sorts items carrying a policy and the specificity of its top-level targetRef (as
 * `selectProxy` returns it) into fold order, least important first. Stable; returns
 * a new array.
 */
export function orderPolicies<T extends { readonly policy: Resource; readonly specificity: number }>(
  items: readonly T[],
): T[] {
  const keyed = items.map((item) => ({ item, key: sortKey(item.policy, item.specificity) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key));
  return keyed.map((k) => k.item);
}

/** Sorts policies into fold order, least important first. Stable; returns a new array. */
export function sortPolicies(policies: readonly Resource[]): Resource[] {
  return orderPolicies(
    policies.map((policy) => ({ policy, specificity: targetRefSpecificity(policySpec(policy).targetRef) })),
  ).map((x) => x.policy);
}
