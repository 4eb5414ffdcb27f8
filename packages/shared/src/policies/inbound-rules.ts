/**
 * Inbound `rules[]` (the Kuma 2.10+ successor of `from[]`): each entry applies to callers
 * its `matches` select (by SPIFFE ID or SNI), or to every caller without `matches`.
 * As in Kuma (`rules/inbound`), entries are kept one per match with the policy they came
 * from, in fold order, then stably sorted by match: SPIFFE ID exact, SPIFFE ID prefix,
 * neither (SNI before no SNI within each), match-less entries last. Consumers fold what
 * they need, e.g. {@link foldCatchAll} for the conf that applies to every caller.
 */
import type { Resource } from '../model/resource.js';
import type { Match } from '../resources/common/match.js';
import { mergeConfs } from './merge-confs.js';
import { policySpec } from './policy-spec.js';

/** One inbound rule entry. */
export interface InboundRule {
  /** At most one match; empty means every caller. */
  readonly matches: readonly Match[];
  readonly conf: unknown;
  /** Name of the policy the entry came from. */
  readonly origin: string;
}

/** Kuma's `CompareMatch`: SPIFFE ID exact < prefix < none, then with SNI < without. */
function matchRank(m: Match | undefined): number {
  const spiffe = m?.spiffeID === undefined ? 2 : m.spiffeID.type === 'Exact' ? 0 : 1;
  return spiffe * 2 + (m?.sni === undefined ? 1 : 0);
}

/** The `rules[]` entries of `policies` (already in fold order), one per match, sorted by match. */
export function buildInboundRules(policies: readonly Resource[]): InboundRule[] {
  const out: InboundRule[] = [];
  for (const policy of policies) {
    for (const entry of policySpec(policy).rules ?? []) {
      const matches = entry.matches ?? [];
      if (matches.length === 0) {
        out.push({ matches: [], conf: entry.default, origin: policy.meta.name });
      } else {
        for (const m of matches) out.push({ matches: [m], conf: entry.default, origin: policy.meta.name });
      }
    }
  }
  return out
    .map((rule, i) => ({ rule, i, rank: matchRank(rule.matches[0]) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.rule);
}

/** The merged conf of the entries that apply to every caller, or `undefined` when none. */
export function foldCatchAll(rules: readonly InboundRule[]): unknown {
  return mergeConfs(rules.filter((r) => r.matches.length === 0).map((r) => r.conf));
}
