export type { SubsetItem, SubsetRule, SubsetRuleOptions } from './from-rules.js';
export { buildFromRules, buildSubsetRules, findRule, fromItems, subsetOf } from './from-rules.js';
export type { InboundRule } from './inbound-rules.js';
export { buildInboundRules, foldCatchAll } from './inbound-rules.js';
export type {
  FromRuleView,
  InboundInfo,
  InboundRuleView,
  MatchedPolicyType,
  MatchPoliciesOptions,
  ProxyConfView,
} from './matched-policies.js';
export { matchPolicies } from './matched-policies.js';
export type { MergeOptions } from './merge-confs.js';
export { canonicalJson, cloneJson, mergeConfs, mergePatch } from './merge-confs.js';
export { comparePolicies, orderPolicies, sortPolicies } from './order-policies.js';
export type { PolicyEntry, PolicySpecOutline, Tags } from './policy-spec.js';
export {
  DISPLAY_NAME_LABEL,
  displayName,
  ORIGIN_LABEL,
  POLICY_ROLE_LABEL,
  policySpec,
  selectsTags,
} from './policy-spec.js';
export type { ProxySelection, SelectProxyOptions } from './select-proxy.js';
export { indexRoutes, KIND_SPECIFICITY, selectProxy, targetRefSpecificity } from './select-proxy.js';
export type { ToRule } from './to-rules.js';
export { buildToRules, findToRule } from './to-rules.js';
export type { InboundPermissions, PermissionRule, TrafficAction } from './traffic-permission-rules.js';
export type { IdentityMatcher, IdentityPermissions, InboundRef, PermissionOptions } from './traffic-permissions.js';
export {
  computeIdentityPermissions,
  computeInboundPermissions,
  permissionsOfSelected,
  selectInboundPolicies,
} from './traffic-permissions.js';
