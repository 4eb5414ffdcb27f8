import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TargetRef } from '../resources/common/target-ref.js';
import { findRule } from './from-rules.js';
import { dataplane, policy } from './test-fixtures.js';
import { computeIdentityPermissions, computeInboundPermissions } from './traffic-permissions.js';

const SVC = 'kuma.io/service';
const backend = dataplane(
  'backend-1',
  [
    { port: 8080, tags: { [SVC]: 'backend', version: 'v1' } },
    { port: 9000, name: 'admin', tags: { [SVC]: 'backend-admin' } },
  ],
  { labels: { app: 'backend' } },
);

function mtp(
  name: string,
  targetRef: TargetRef | undefined,
  from: { targetRef: TargetRef; action: string }[],
  labels: Record<string, string> = {},
) {
  return policy(
    'MeshTrafficPermission',
    name,
    {
      ...(targetRef === undefined ? {} : { targetRef }),
      from: from.map((f) => ({ targetRef: f.targetRef, default: { action: f.action } })),
    },
    labels,
  );
}

const allowAll = mtp('allow-all', { kind: 'Mesh' }, [{ targetRef: { kind: 'Mesh' }, action: 'Allow' }]);

describe('computeInboundPermissions', () => {
  it('allow-all: one catch-all Allow rule', () => {
    assert.deepEqual(computeInboundPermissions(backend, 0, [allowAll]), {
      rules: [{ subset: {}, action: 'Allow', origins: ['allow-all'] }],
    });
  });

  it('allow-all + deny web on this service: web first', () => {
    const denyWeb = mtp('deny-web', { kind: 'MeshService', name: 'backend' }, [
      { targetRef: { kind: 'MeshService', name: 'web' }, action: 'Deny' },
    ]);
    const got = computeInboundPermissions(backend, 0, [denyWeb, allowAll]);
    assert.deepEqual(got.rules, [
      { subset: { [SVC]: 'web' }, action: 'Deny', origins: ['allow-all', 'deny-web'] },
      { subset: {}, action: 'Allow', origins: ['allow-all'] },
    ]);
    assert.equal(findRule(got.rules, { [SVC]: 'web', version: 'v3' })?.action, 'Deny');
    assert.equal(findRule(got.rules, { [SVC]: 'frontend' })?.action, 'Allow');
  });

  it('allow only web: Deny everyone, then Allow web', () => {
    const onlyWeb = mtp('only-web', { kind: 'Dataplane', labels: { app: 'backend' } }, [
      { targetRef: { kind: 'Mesh' }, action: 'Deny' },
      { targetRef: { kind: 'MeshSubset', tags: { [SVC]: 'web' } }, action: 'Allow' },
    ]);
    const got = computeInboundPermissions(backend, { [SVC]: 'backend' }, [onlyWeb]);
    assert.deepEqual(got.rules, [
      { subset: { [SVC]: 'web' }, action: 'Allow', origins: ['only-web'] },
      { subset: {}, action: 'Deny', origins: ['only-web'] },
    ]);
  });

  it('no policies, or none selecting the inbound: no rules', () => {
    assert.deepEqual(computeInboundPermissions(backend, 0, []), { rules: [] });
    const other = mtp('other', { kind: 'MeshService', name: 'db' }, [{ targetRef: { kind: 'Mesh' }, action: 'Allow' }]);
    assert.deepEqual(computeInboundPermissions(backend, 0, [other]), { rules: [] });
    assert.deepEqual(computeInboundPermissions(backend, { [SVC]: 'nope' }, [allowAll]), { rules: [] });
  });

  it('AllowWithShadowDeny passes through as an action', () => {
    const shadow = mtp('shadow', { kind: 'MeshService', name: 'backend' }, [
      { targetRef: { kind: 'MeshServiceSubset', name: 'web', tags: { version: 'v2' } }, action: 'AllowWithShadowDeny' },
    ]);
    assert.deepEqual(computeInboundPermissions(backend, 0, [shadow, allowAll]).rules, [
      { subset: { [SVC]: 'web', version: 'v2' }, action: 'AllowWithShadowDeny', origins: ['allow-all', 'shadow'] },
      { subset: {}, action: 'Allow', origins: ['allow-all'] },
    ]);
  });

  it('only policies selecting the given inbound count (sectionName)', () => {
    const adminOnly = mtp('admin-deny', { kind: 'Dataplane', name: 'backend-1', sectionName: 'admin' }, [
      { targetRef: { kind: 'Mesh' }, action: 'Deny' },
    ]);
    assert.equal(computeInboundPermissions(backend, 0, [allowAll, adminOnly]).rules[0]?.action, 'Allow');
    assert.equal(computeInboundPermissions(backend, 1, [allowAll, adminOnly]).rules[0]?.action, 'Deny');
  });

  it('a zone policy overrides a global one of the same specificity', () => {
    const zoneDeny = mtp('zz-zone', { kind: 'Mesh' }, [{ targetRef: { kind: 'Mesh' }, action: 'Deny' }], {
      'kuma.io/origin': 'zone',
    });
    const globalAllow = mtp('aa-global', { kind: 'Mesh' }, [{ targetRef: { kind: 'Mesh' }, action: 'Allow' }], {
      'kuma.io/origin': 'global',
    });
    assert.deepEqual(computeInboundPermissions(backend, 0, [zoneDeny, globalAllow]).rules, [
      { subset: {}, action: 'Deny', origins: ['aa-global', 'zz-zone'] },
    ]);
  });
});

describe('computeIdentityPermissions', () => {
  it('collects the rules[] matchers of the selecting policies', () => {
    const byId = policy('MeshTrafficPermission', 'by-id', {
      targetRef: { kind: 'Dataplane', labels: { app: 'backend' } },
      rules: [
        {
          default: {
            allow: [{ spiffeID: { type: 'Prefix', value: 'spiffe://default/' } }],
            deny: [{ spiffeID: { type: 'Exact', value: 'spiffe://default/legacy' } }],
          },
        },
      ],
    });
    const got = computeIdentityPermissions(backend, 0, [byId, allowAll]);
    assert.deepEqual(got, {
      deny: [{ match: { spiffeID: { type: 'Exact', value: 'spiffe://default/legacy' } }, origin: 'by-id' }],
      allow: [{ match: { spiffeID: { type: 'Prefix', value: 'spiffe://default/' } }, origin: 'by-id' }],
      allowWithShadowDeny: [],
    });
    assert.deepEqual(computeInboundPermissions(backend, 0, [byId]), { rules: [] }, 'from[] form ignores rules[]');
  });
});
