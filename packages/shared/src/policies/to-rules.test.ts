import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource } from '../model/resource.js';
import type { TargetRef } from '../resources/common/target-ref.js';
import { sortPolicies } from './order-policies.js';
import { policy } from './test-fixtures.js';
import { buildToRules, findToRule } from './to-rules.js';

function mt(name: string, targetRef: TargetRef, to: { targetRef: TargetRef; default: unknown }[]): Resource {
  return policy('MeshTimeout', name, { targetRef, to });
}

describe('buildToRules', () => {
  it('merges Mesh and MeshService items of MeshTimeouts per destination', () => {
    const meshWide = mt('mesh-timeouts', { kind: 'Mesh' }, [
      {
        targetRef: { kind: 'Mesh' },
        default: { connectionTimeout: '5s', idleTimeout: '1h', http: { requestTimeout: '15s' } },
      },
    ]);
    const toBackend = mt('web-to-backend', { kind: 'MeshService', name: 'web' }, [
      { targetRef: { kind: 'MeshService', name: 'backend' }, default: { http: { requestTimeout: '2s' } } },
      { targetRef: { kind: 'MeshService', name: 'backend', sectionName: 'grpc' }, default: { idleTimeout: '5m' } },
    ]);
    const rules = buildToRules(sortPolicies([toBackend, meshWide]));
    assert.deepEqual(rules, [
      {
        targetRef: { kind: 'Mesh' },
        conf: { connectionTimeout: '5s', idleTimeout: '1h', http: { requestTimeout: '15s' } },
        origins: ['mesh-timeouts'],
      },
      {
        targetRef: { kind: 'MeshService', name: 'backend' },
        conf: { connectionTimeout: '5s', idleTimeout: '1h', http: { requestTimeout: '2s' } },
        origins: ['mesh-timeouts', 'web-to-backend'],
      },
      {
        targetRef: { kind: 'MeshService', name: 'backend', sectionName: 'grpc' },
        conf: { connectionTimeout: '5s', idleTimeout: '5m', http: { requestTimeout: '2s' } },
        origins: ['mesh-timeouts', 'web-to-backend'],
      },
    ]);
    assert.equal(findToRule(rules, { kind: 'MeshService', name: 'backend' }), rules[1]);
    assert.equal(findToRule(rules, { kind: 'MeshService', name: 'backend', sectionName: 'http' }), rules[1]);
    assert.equal(findToRule(rules, { kind: 'MeshService', name: 'backend', sectionName: 'grpc' }), rules[2]);
    assert.equal(findToRule(rules, { kind: 'MeshService', name: 'db' }), rules[0]);
  });

  it('lets item order decide: a Mesh item of a more specific policy beats a MeshService item', () => {
    const broad = mt('broad', { kind: 'Mesh' }, [
      { targetRef: { kind: 'MeshService', name: 'backend' }, default: { idleTimeout: '10s' } },
    ]);
    const specific = mt('specific', { kind: 'MeshService', name: 'web' }, [
      { targetRef: { kind: 'Mesh' }, default: { idleTimeout: '20s' } },
    ]);
    const rules = buildToRules(sortPolicies([specific, broad]));
    assert.deepEqual(findToRule(rules, { kind: 'MeshService', name: 'backend' })?.conf, { idleTimeout: '20s' });
  });

  it('has no rules without to[] and no Mesh fallback when nothing covers everyone', () => {
    assert.deepEqual(buildToRules([]), []);
    const rules = buildToRules([
      mt('p', { kind: 'Mesh' }, [{ targetRef: { kind: 'MeshService', name: 'a' }, default: { idleTimeout: '1s' } }]),
    ]);
    assert.equal(findToRule(rules, { kind: 'MeshService', name: 'b' }), undefined);
  });

  it('keeps route-scoped confs apart', () => {
    const onRoute = policy('MeshTimeout', 'slow-route', {
      targetRef: { kind: 'MeshHTTPRoute', name: 'reports' },
      to: [{ targetRef: { kind: 'Mesh' }, default: { http: { requestTimeout: '30s' } } }],
    });
    const meshWide = mt('mesh', { kind: 'Mesh' }, [{ targetRef: { kind: 'Mesh' }, default: { idleTimeout: '1h' } }]);
    const rules = buildToRules([meshWide, onRoute]);
    assert.deepEqual(
      rules.map((r) => [r.targetRef, r.conf]),
      [
        [{ kind: 'Mesh' }, { idleTimeout: '1h' }],
        [{ kind: 'MeshHTTPRoute', name: 'reports' }, { http: { requestTimeout: '30s' } }],
      ],
    );
  });

  it('folds route rules of MeshHTTPRoutes by matches', () => {
    const route = (name: string, path: string, backend: string) =>
      policy('MeshHTTPRoute', name, {
        targetRef: { kind: 'Mesh' },
        to: [
          {
            targetRef: { kind: 'MeshService', name: 'backend' },
            rules: [
              {
                matches: [{ path: { type: 'PathPrefix', value: path } }],
                default: { backendRefs: [{ kind: 'MeshService', name: backend }] },
              },
            ],
          },
        ],
      });
    const rules = buildToRules(sortPolicies([route('b', '/', 'v1'), route('a', '/api', 'v2')]));
    assert.deepEqual(rules[0]?.conf, {
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
          default: { backendRefs: [{ kind: 'MeshService', name: 'v2' }] },
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          default: { backendRefs: [{ kind: 'MeshService', name: 'v1' }] },
        },
      ],
    });
  });
});
