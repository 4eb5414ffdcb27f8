/**
 * MeshTrafficPermission rules → Envoy RBAC. The rules are ordered and the first one matching a
 * caller decides; Envoy's ALLOW policies are an unordered OR. So each Allow rule becomes a
 * policy whose principal is "the caller matches the rule's subset AND matches no earlier Deny
 * rule". No Allow rule leaves the policy set empty, which denies everyone.
 *
 * Callers are recognised by their certificate's URI SANs: `kuma.io/service` is the SPIFFE ID
 * `spiffe://<mesh>/<service>`, every other tag `kuma://<key>/<value>` (as Kuma issues them).
 *
 * On TCP inbounds Envoy's network RBAC decides on the caller's first bytes (Envoy #9023; 1.40
 * has no option to decide at the TLS handshake), so with a server-speaks-first protocol a
 * denied caller still hears the server's greeting before being cut off.
 */

import { create } from '@bufbuild/protobuf';
import {
  type Filter,
  FilterSchema,
  type HttpFilter,
  HttpFilterSchema,
  NetworkRBACSchema,
  type Policy,
  PolicySchema,
  type Principal,
  PrincipalSchema,
  type RBACConfig,
  RBACConfig_Action,
  RBACConfigSchema,
  RBACSchema,
} from '@strait/proto/envoy';
import type { InboundPermissions, PermissionRule } from '@strait/shared';
import { Extensions, typedConfig } from './envoy-parts.js';
import { serviceSpiffeId, tagUriSan } from './names.js';

const SERVICE_TAG = 'kuma.io/service';

/** The enforced rules and, when a rule shadow-denies, what enforcing that deny would do. */
export interface RenderedPermissions {
  readonly rules: RBACConfig;
  /** Present when some rule is `AllowWithShadowDeny`: the same rules with those rules as Deny. */
  readonly shadowRules?: RBACConfig;
}

/** The principal of a caller whose certificate carries `uriSan`. */
function uriSanPrincipal(uriSan: string): Principal {
  return create(PrincipalSchema, {
    identifier: {
      case: 'authenticated',
      value: { principalName: { matchPattern: { case: 'exact', value: uriSan } } },
    },
  });
}

function anyPrincipal(): Principal {
  return create(PrincipalSchema, { identifier: { case: 'any', value: true } });
}

function notPrincipal(principal: Principal): Principal {
  return create(PrincipalSchema, { identifier: { case: 'notId', value: principal } });
}

/** All of `principals`; the single one unwrapped, `any` when there are none. */
function allOf(principals: readonly Principal[]): Principal {
  if (principals.length === 0) return anyPrincipal();
  if (principals.length === 1 && principals[0] !== undefined) return principals[0];
  return create(PrincipalSchema, { identifier: { case: 'andIds', value: { ids: [...principals] } } });
}

/** Matches callers whose tags include every entry of `subset` (`{}`: every caller). */
export function subsetPrincipal(mesh: string, subset: Readonly<Record<string, string>>): Principal {
  const keys = Object.keys(subset).sort();
  return allOf(
    keys.map((key) => {
      const value = subset[key] ?? '';
      return uriSanPrincipal(key === SERVICE_TAG ? serviceSpiffeId(mesh, value) : tagUriSan(key, value));
    }),
  );
}

function policyName(index: number, rule: PermissionRule): string {
  return rule.origins.length === 0 ? `rule-${index}` : `rule-${index}:${[...rule.origins].sort().join(',')}`;
}

/** The ALLOW policy set of `rules`, with `AllowWithShadowDeny` taken as Allow or as Deny. */
function allowPolicies(
  mesh: string,
  rules: readonly PermissionRule[],
  shadowDenyAs: 'Allow' | 'Deny',
): Record<string, Policy> {
  const policies: Record<string, Policy> = {};
  const earlierDenies: Principal[] = [];
  for (const [index, rule] of rules.entries()) {
    const action = rule.action === 'AllowWithShadowDeny' ? shadowDenyAs : rule.action;
    const everyone = Object.keys(rule.subset).length === 0;
    if (action === 'Allow') {
      const matches = everyone ? [] : [subsetPrincipal(mesh, rule.subset)];
      policies[policyName(index, rule)] = create(PolicySchema, {
        permissions: [{ rule: { case: 'any', value: true } }],
        principals: [allOf([...matches, ...earlierDenies.map(notPrincipal)])],
      });
    } else {
      earlierDenies.push(subsetPrincipal(mesh, rule.subset));
    }
    // A rule for every caller decides for everyone left: later rules can never match.
    if (everyone) break;
  }
  return policies;
}

/** Renders one inbound's permissions as RBAC rules (and shadow rules). */
export function renderPermissions(mesh: string, permissions: InboundPermissions): RenderedPermissions {
  const rules = create(RBACConfigSchema, {
    action: RBACConfig_Action.ALLOW,
    policies: allowPolicies(mesh, permissions.rules, 'Allow'),
  });
  if (!permissions.rules.some((r) => r.action === 'AllowWithShadowDeny')) return { rules };
  const shadowRules = create(RBACConfigSchema, {
    action: RBACConfig_Action.ALLOW,
    policies: allowPolicies(mesh, permissions.rules, 'Deny'),
  });
  return { rules, shadowRules };
}

/** The HTTP RBAC filter for an HTTP inbound. */
export function httpRbacFilter(mesh: string, permissions: InboundPermissions): HttpFilter {
  const rendered = renderPermissions(mesh, permissions);
  return create(HttpFilterSchema, {
    name: Extensions.httpRbac,
    configType: {
      case: 'typedConfig',
      value: typedConfig(RBACSchema, {
        rules: rendered.rules,
        ...(rendered.shadowRules === undefined ? {} : { shadowRules: rendered.shadowRules }),
      }),
    },
  });
}

/** The network RBAC filter for a TCP inbound (checked once per connection). */
export function networkRbacFilter(mesh: string, permissions: InboundPermissions, statPrefix: string): Filter {
  const rendered = renderPermissions(mesh, permissions);
  return create(FilterSchema, {
    name: Extensions.networkRbac,
    configType: {
      case: 'typedConfig',
      value: typedConfig(NetworkRBACSchema, {
        statPrefix,
        rules: rendered.rules,
        ...(rendered.shadowRules === undefined ? {} : { shadowRules: rendered.shadowRules }),
      }),
    },
  });
}
