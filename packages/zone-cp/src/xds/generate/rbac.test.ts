/** rbac.ts: ordered MeshTrafficPermission rules → Envoy RBAC policies, first match decides. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toJson } from '@bufbuild/protobuf';
import { envoyRegistry, PrincipalSchema, RBACConfig_Action, RBACConfigSchema } from '@strait/proto/envoy';
import type { PermissionRule } from '@strait/shared';
import { renderPermissions, subsetPrincipal } from './rbac.js';
import { rule, service } from './test-contexts.js';

const spiffe = (s: string) => ({ authenticated: { principalName: { exact: `spiffe://default/${s}` } } });
const tag = (k: string, v: string) => ({ authenticated: { principalName: { exact: `kuma://${k}/${v}` } } });
const not = (p: object) => ({ notId: p });
const and = (...ids: object[]) => ({ andIds: { ids } });
const ANY = { any: true };

/** The enforced policies as `{ name: principal }` (each policy has one principal and any permission). */
function policies(rules: readonly PermissionRule[], which: 'rules' | 'shadowRules' = 'rules') {
  const rendered = renderPermissions('default', { rules });
  const config = rendered[which];
  assert.ok(config, `${which} expected`);
  assert.equal(config.action, RBACConfig_Action.ALLOW);
  const json = toJson(RBACConfigSchema, config, { registry: envoyRegistry }) as {
    policies?: Record<string, { permissions: unknown[]; principals: unknown[] }>;
  };
  const out: Record<string, unknown> = {};
  for (const [name, policy] of Object.entries(json.policies ?? {})) {
    assert.deepEqual(policy.permissions, [ANY]);
    assert.equal(policy.principals.length, 1);
    out[name] = policy.principals[0];
  }
  return out;
}

describe('subsetPrincipal', () => {
  it('matches every caller for an empty subset', () => {
    assert.deepEqual(toJson(PrincipalSchema, subsetPrincipal('default', {})), ANY);
  });

  it('matches kuma.io/service by SPIFFE ID and other tags by kuma:// URI SANs, all of them, keys sorted', () => {
    const principal = subsetPrincipal('default', { version: 'v2', 'kuma.io/service': 'web' });
    assert.deepEqual(toJson(PrincipalSchema, principal), and(spiffe('web'), tag('version', 'v2')));
  });
});

describe('renderPermissions', () => {
  it('denies everyone when there are no rules (an empty ALLOW policy set)', () => {
    assert.deepEqual(policies([]), {});
    assert.equal(renderPermissions('default', { rules: [] }).shadowRules, undefined);
  });

  it('allows every caller for [Allow Mesh]', () => {
    assert.deepEqual(policies([rule('Allow', {}, 'allow-all')]), { 'rule-0:allow-all': ANY });
  });

  it('allows only the subset for [Allow web]', () => {
    assert.deepEqual(policies([rule('Allow', service('web'))]), { 'rule-0:mtp': spiffe('web') });
  });

  it('excludes callers of earlier Deny rules from a later Allow: [Deny web, Allow Mesh]', () => {
    assert.deepEqual(policies([rule('Deny', service('web')), rule('Allow', {}, 'all')]), {
      'rule-1:all': not(spiffe('web')),
    });
  });

  it('ANDs the subset with NOT of every earlier Deny, in rule order', () => {
    const rules = [
      rule('Deny', { version: 'v1' }, 'a'),
      rule('Allow', service('web'), 'b'),
      rule('Deny', service('web'), 'c'),
      rule('Allow', { team: 'x' }, 'd'),
    ];
    assert.deepEqual(policies(rules), {
      'rule-1:b': and(spiffe('web'), not(tag('version', 'v1'))),
      'rule-3:d': and(tag('team', 'x'), not(tag('version', 'v1')), not(spiffe('web'))),
    });
  });

  it('ignores rules after one that matches every caller', () => {
    assert.deepEqual(policies([rule('Deny', {}), rule('Allow', service('web'))]), {});
    assert.deepEqual(policies([rule('Allow', {}, 'all'), rule('Deny', service('web'))]), { 'rule-0:all': ANY });
  });

  it('names a policy after its rule index and its origins, sorted', () => {
    const merged: PermissionRule = { action: 'Allow', subset: {}, origins: ['mtp-b', 'mtp-a'] };
    assert.deepEqual(Object.keys(policies([merged])), ['rule-0:mtp-a,mtp-b']);
    assert.deepEqual(Object.keys(policies([{ action: 'Allow', subset: {}, origins: [] }])), ['rule-0']);
  });

  it('enforces AllowWithShadowDeny as Allow and shadows it as Deny', () => {
    const rules = [rule('AllowWithShadowDeny', service('web'), 'shadow'), rule('Allow', {}, 'all')];
    assert.deepEqual(policies(rules), { 'rule-0:shadow': spiffe('web'), 'rule-1:all': ANY });
    assert.deepEqual(policies(rules, 'shadowRules'), { 'rule-1:all': not(spiffe('web')) });
  });

  it('has no shadow rules unless some rule shadow-denies', () => {
    assert.equal(renderPermissions('default', { rules: [rule('Allow'), rule('Deny')] }).shadowRules, undefined);
  });
});
