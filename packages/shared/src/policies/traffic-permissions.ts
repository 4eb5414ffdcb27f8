/**
 * MeshTrafficPermission for one inbound of one proxy.
 *
 * Kuma 2.x has two forms, and a policy uses one of them:
 * - `from[]` (tag-based, what Strait's mTLS identities carry): each entry gives an
 *   `action` to a caller subset; entries of all selecting policies are folded into ordered
 *   first-match rules ({@link computeInboundPermissions}, see `from-rules.ts`).
 * - `rules[]` (2.12+, SPIFFE ID / SNI matchers, needs MeshIdentity in Kuma): order does not
 *   matter, a caller matching any `deny` is denied, else one matching any `allow` or
 *   `allowWithShadowDeny` is allowed, else denied. {@link computeIdentityPermissions}
 *   collects the matchers of every selecting policy.
 */
import type { Resource } from '../model/resource.js';
import type { Match } from '../resources/common/match.js';
import type { DataplaneSpec } from '../resources/dataplane.js';
import { buildFromRules, type SubsetRuleOptions } from './from-rules.js';
import { orderPolicies } from './order-policies.js';
import { policySpec, selectsTags, type Tags } from './policy-spec.js';
import { type SelectProxyOptions, selectProxy } from './select-proxy.js';
import type { InboundPermissions, PermissionRule, TrafficAction } from './traffic-permission-rules.js';

/** An inbound: its index in `networking.inbound`, or tags that the wanted inbound's tags include. */
export type InboundRef = number | Tags;

const ACTIONS: ReadonlySet<string> = new Set<TrafficAction>(['Allow', 'Deny', 'AllowWithShadowDeny']);

function inboundIndex(dataplane: Resource, inbound: InboundRef): number {
  if (typeof inbound === 'number') return inbound;
  const inbounds = (dataplane.spec as DataplaneSpec).networking.inbound ?? [];
  return inbounds.findIndex((i) => selectsTags(inbound, i.tags));
}

/** The policies whose top-level targetRef selects the inbound, in fold order. */
function selectingPolicies(
  dataplane: Resource,
  inbound: InboundRef,
  policies: readonly Resource[],
  options: SelectProxyOptions,
): Resource[] {
  const index = inboundIndex(dataplane, inbound);
  if (index < 0) return [];
  const selected: { policy: Resource; specificity: number }[] = [];
  for (const policy of policies) {
    const selection = selectProxy(policy, dataplane, options);
    if (selection?.inbounds.includes(index) === true) selected.push({ policy, specificity: selection.specificity });
  }
  return orderPolicies(selected).map((s) => s.policy);
}

/** Options of {@link computeInboundPermissions} and {@link computeIdentityPermissions}. */
export interface PermissionOptions extends SelectProxyOptions, SubsetRuleOptions {}

/**
 * The `from[]` permissions of one inbound: ordered rules, most specific caller subset
 * first, the first rule whose subset the caller's tags include deciding. `policies` are the
 * MeshTrafficPermissions of the proxy's mesh; those not selecting the inbound are ignored.
 * No rules means no policy applies (every caller denied under mTLS, as in Kuma).
 */
export function computeInboundPermissions(
  dataplane: Resource,
  inbound: InboundRef,
  policies: readonly Resource[],
  options: PermissionOptions = {},
): InboundPermissions {
  return permissionsOfSelected(selectingPolicies(dataplane, inbound, policies, options), options);
}

/**
 * The policies of `policies` whose top-level targetRef selects the inbound, in fold order.
 * {@link computeInboundPermissions} is {@link permissionsOfSelected} of this list, so inbounds
 * that select the same policies have the same permissions (callers may compute them once).
 */
export function selectInboundPolicies(
  dataplane: Resource,
  inbound: InboundRef,
  policies: readonly Resource[],
  options: SelectProxyOptions = {},
): Resource[] {
  return selectingPolicies(dataplane, inbound, policies, options);
}

/** The `from[]` permissions of an inbound selected by `ordered` (see {@link selectInboundPolicies}). */
export function permissionsOfSelected(
  ordered: readonly Resource[],
  options: SubsetRuleOptions = {},
): InboundPermissions {
  const rules: PermissionRule[] = [];
  for (const rule of buildFromRules(ordered, options)) {
    const action = (rule.conf as { action?: unknown } | undefined)?.action;
    if (typeof action === 'string' && ACTIONS.has(action)) {
      rules.push({ subset: rule.subset, action: action as TrafficAction, origins: rule.origins });
    }
  }
  return { rules };
}

/** One SPIFFE ID / SNI matcher of a `rules[]` MeshTrafficPermission. */
export interface IdentityMatcher {
  readonly match: Match;
  /** Name of the policy it came from. */
  readonly origin: string;
}

/** The `rules[]` permissions of one inbound: deny wins over allow; no match is denied. */
export interface IdentityPermissions {
  readonly deny: readonly IdentityMatcher[];
  readonly allow: readonly IdentityMatcher[];
  readonly allowWithShadowDeny: readonly IdentityMatcher[];
}

interface RuleConf {
  readonly allow?: readonly Match[];
  readonly allowWithShadowDeny?: readonly Match[];
  readonly deny?: readonly Match[];
}

/** The `rules[]` permissions of one inbound, matchers in fold order of their policies. */
export function computeIdentityPermissions(
  dataplane: Resource,
  inbound: InboundRef,
  policies: readonly Resource[],
  options: SelectProxyOptions = {},
): IdentityPermissions {
  const out = {
    deny: [] as IdentityMatcher[],
    allow: [] as IdentityMatcher[],
    allowWithShadowDeny: [] as IdentityMatcher[],
  };
  for (const policy of selectingPolicies(dataplane, inbound, policies, options)) {
    for (const rule of policySpec(policy).rules ?? []) {
      const conf = (rule.default ?? {}) as RuleConf;
      for (const list of ['deny', 'allow', 'allowWithShadowDeny'] as const) {
        for (const match of conf[list] ?? []) out[list].push({ match, origin: policy.meta.name });
      }
    }
  }
  return out;
}
