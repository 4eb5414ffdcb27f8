/**
 * Every policy that applies to one proxy, per policy type, with the confs they fold into:
 * the data behind `GET /meshes/{mesh}/dataplanes/{name}/policies` and
 * `strait inspect dataplane NAME --type policies`. Pure and JSON-friendly.
 *
 * Cost per proxy is linear in the number of policies of the mesh (each policy's top-level
 * targetRef is checked once against the proxy), plus the rule building over the matched
 * policies' entries.
 */
import type { ResourceRegistry } from '../model/registry.js';
import type { Resource } from '../model/resource.js';
import type { Match } from '../resources/common/match.js';
import { SERVICE_TAG } from '../resources/common/tags.js';
import type { DataplaneSpec } from '../resources/dataplane.js';
import { buildFromRules, type SubsetRuleOptions } from './from-rules.js';
import { buildInboundRules } from './inbound-rules.js';
import { mergeConfs } from './merge-confs.js';
import { orderPolicies } from './order-policies.js';
import { policySpec, type Tags } from './policy-spec.js';
import { indexRoutes, type ProxySelection, selectProxy } from './select-proxy.js';
import { buildToRules, type ToRule } from './to-rules.js';

/** The inbound a rule belongs to. */
export interface InboundInfo {
  /** Index in `networking.inbound`. */
  readonly index: number;
  readonly port: number;
  readonly name?: string;
  /** The inbound's `kuma.io/service`. */
  readonly service: string;
}

/** A from rule of one inbound: callers whose tags include `subset` get `conf` (first match wins). */
export interface FromRuleView {
  readonly inbound: InboundInfo;
  readonly subset: Tags;
  readonly conf: unknown;
  readonly origins: readonly string[];
}

/** A `rules[]` entry applying to one inbound. */
export interface InboundRuleView {
  readonly inbound: InboundInfo;
  readonly matches: readonly Match[];
  readonly conf: unknown;
  readonly origin: string;
}

/** The folded proxy-wide `spec.default` of policies without to/from/rules (MeshTrace, MeshMetric). */
export interface ProxyConfView {
  readonly conf: unknown;
  readonly origins: readonly string[];
}

/** What one policy type contributes to one proxy. */
export interface MatchedPolicyType {
  readonly type: string;
  /** Names of the matched policies in fold order (least important first, the last one wins). */
  readonly policies: readonly string[];
  readonly to: readonly ToRule[];
  /** From rules, grouped by inbound (in inbound order), each group in first-match order. */
  readonly from: readonly FromRuleView[];
  readonly rules: readonly InboundRuleView[];
  readonly proxy?: ProxyConfView;
  /** Problems that left part of the result out (e.g. too many overlapping subsets). */
  readonly warnings: readonly string[];
}

/** Options of {@link matchPolicies}. */
export interface MatchPoliciesOptions extends SubsetRuleOptions {
  /** Leave out policy types that match nothing. Default false (every policy type is listed). */
  readonly omitEmpty?: boolean;
}

interface Selected {
  readonly policy: Resource;
  readonly specificity: number;
  readonly selection: ProxySelection;
}

function inboundInfos(dataplane: Resource): InboundInfo[] {
  const inbounds = (dataplane.spec as DataplaneSpec).networking.inbound ?? [];
  return inbounds.map((inbound, index) => ({
    index,
    port: inbound.port,
    ...(inbound.name === undefined ? {} : { name: inbound.name }),
    service: inbound.tags[SERVICE_TAG] ?? '',
  }));
}

function proxyConf(ordered: readonly Resource[]): ProxyConfView | undefined {
  const withDefault = ordered.filter((p) => policySpec(p).default !== undefined);
  if (withDefault.length === 0) return undefined;
  return {
    conf: mergeConfs(withDefault.map((p) => policySpec(p).default)),
    origins: withDefault.map((p) => p.meta.name),
  };
}

function matchType(
  type: string,
  dataplane: Resource,
  policies: readonly Resource[],
  routes: ReadonlyMap<string, Resource>,
  inbounds: readonly InboundInfo[],
  options: SubsetRuleOptions,
): MatchedPolicyType {
  const selected: Selected[] = [];
  for (const policy of policies) {
    const selection = selectProxy(policy, dataplane, { routes });
    if (selection !== undefined) selected.push({ policy, specificity: selection.specificity, selection });
  }
  const ordered = orderPolicies(selected);
  const all = ordered.map((s) => s.policy);
  const warnings: string[] = [];
  const from: FromRuleView[] = [];
  const rules: InboundRuleView[] = [];
  for (const inbound of inbounds) {
    const forInbound = ordered.filter((s) => s.selection.inbounds.includes(inbound.index)).map((s) => s.policy);
    if (forInbound.length === 0) continue;
    try {
      for (const r of buildFromRules(forInbound, options)) from.push({ inbound, ...r });
    } catch (err) {
      warnings.push(`inbound ${inbound.port}: from rules left out: ${(err as Error).message}`);
    }
    for (const r of buildInboundRules(forInbound)) rules.push({ inbound, ...r });
  }
  const proxy = proxyConf(all);
  return {
    type,
    policies: all.map((p) => p.meta.name),
    to: buildToRules(all),
    from,
    rules,
    ...(proxy === undefined ? {} : { proxy }),
    warnings,
  };
}

/**
 * The policies of every policy type (descriptors with `isPolicy`, in registry order) that
 * apply to `dataplane`, in fold order, with their folded to/from/rules/proxy-wide confs.
 * `policiesByType` holds the policies of the dataplane's mesh by type name; policies of
 * other meshes are ignored. MeshHTTPRoutes in it also resolve top-level `MeshHTTPRoute`
 * targetRefs.
 */
export function matchPolicies(
  dataplane: Resource,
  policiesByType: ReadonlyMap<string, readonly Resource[]>,
  registry: ResourceRegistry,
  options: MatchPoliciesOptions = {},
): MatchedPolicyType[] {
  const routes = indexRoutes(policiesByType.get('MeshHTTPRoute') ?? []);
  const inbounds = inboundInfos(dataplane);
  const out: MatchedPolicyType[] = [];
  for (const d of registry.all()) {
    if (!d.isPolicy) continue;
    const matched = matchType(d.name, dataplane, policiesByType.get(d.name) ?? [], routes, inbounds, options);
    if (options.omitEmpty !== true || matched.policies.length > 0) out.push(matched);
  }
  return out;
}
