import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource } from '../model/resource.js';
import { builtinRegistry } from '../resources/index.js';
import { validExamples } from '../testing/index.js';
import { type MatchedPolicyType, matchPolicies } from './matched-policies.js';
import { dataplane, fromUniversal, policy } from './test-fixtures.js';

/** The mesh of the valid examples: dataplanes backend-1, web-01, edge-gateway and policies of every type. */
function exampleMesh(): { dataplanes: Map<string, Resource>; policiesByType: Map<string, Resource[]> } {
  const dataplanes = new Map<string, Resource>();
  const policiesByType = new Map<string, Resource[]>();
  for (const { object } of validExamples()) {
    const r = fromUniversal(object);
    if (r.type === 'Dataplane') dataplanes.set(r.meta.name, r);
    else if (builtinRegistry.require(r.type).isPolicy)
      policiesByType.set(r.type, [...(policiesByType.get(r.type) ?? []), r]);
  }
  return { dataplanes, policiesByType };
}

function byType(result: readonly MatchedPolicyType[], type: string): MatchedPolicyType {
  const found = result.find((r) => r.type === type);
  assert.ok(found, `no entry for ${type}`);
  return found;
}

describe('matchPolicies on the example mesh', () => {
  const { dataplanes, policiesByType } = exampleMesh();
  const dp = (name: string): Resource => {
    const d = dataplanes.get(name);
    assert.ok(d, `example dataplane ${name}`);
    return d;
  };

  it('lists every policy type, in registry order', () => {
    const result = matchPolicies(dp('backend-1'), policiesByType, builtinRegistry);
    const policyTypes = builtinRegistry
      .all()
      .filter((d) => d.isPolicy)
      .map((d) => d.name);
    assert.deepEqual(
      result.map((r) => r.type),
      policyTypes,
    );
    const omitted = matchPolicies(dp('backend-1'), policiesByType, builtinRegistry, { omitEmpty: true });
    assert.ok(omitted.every((r) => r.policies.length > 0));
  });

  it('backend-1: MeshTimeout policies in fold order, with to, from and rules', () => {
    const mt = byType(matchPolicies(dp('backend-1'), policiesByType, builtinRegistry), 'MeshTimeout');
    // Dataplane-by-labels ranks below MeshService in Kuma 2.x; the route policy's route is not there.
    assert.deepEqual(mt.policies, ['inbound-timeout', 'backend-timeouts']);
    assert.deepEqual(
      mt.to.map((t) => [t.targetRef, t.origins]),
      [[{ kind: 'MeshService', name: 'payments' }, ['backend-timeouts']]],
    );
    assert.deepEqual(mt.from, [
      {
        inbound: { index: 0, port: 8080, service: 'backend' },
        subset: {},
        conf: {
          idleTimeout: '60s',
          connectionTimeout: '500ms',
          http: { requestTimeout: '10s', requestHeadersTimeout: '1.5s' },
        },
        origins: ['backend-timeouts'],
      },
    ]);
    assert.deepEqual(mt.rules, [
      {
        inbound: { index: 0, port: 8080, service: 'backend' },
        matches: [],
        conf: { idleTimeout: '1h', connectionTimeout: '10s' },
        origin: 'inbound-timeout',
      },
    ]);
    assert.deepEqual(mt.warnings, []);
  });

  it('backend-1: MeshTrafficPermission from[] entries fold in written order (the trailing Mesh Deny wins)', () => {
    const mtp = byType(matchPolicies(dp('backend-1'), policiesByType, builtinRegistry), 'MeshTrafficPermission');
    // backend-by-identity names sectionName "http", which no inbound of backend-1 has.
    assert.deepEqual(mtp.policies, ['allow-orders']);
    assert.deepEqual(
      mtp.from.map((f) => [f.subset, f.conf]),
      [[{}, { action: 'Deny' }]],
    );
  });

  it('backend-1: proxy-wide confs fold with appendProfiles kept and backends replaced', () => {
    const result = matchPolicies(dp('backend-1'), policiesByType, builtinRegistry);
    const metric = byType(result, 'MeshMetric');
    assert.deepEqual(metric.policies, ['metrics-default', 'backend-metrics']);
    const conf = metric.proxy?.conf as { backends: unknown; sidecar: { profiles: { appendProfiles: unknown } } };
    assert.deepEqual(conf.backends, [{ type: 'Prometheus', prometheus: { port: 5671 } }]);
    assert.deepEqual(conf.sidecar.profiles.appendProfiles, [{ name: 'Basic' }]);
    const trace = byType(result, 'MeshTrace');
    assert.deepEqual(trace.policies, ['otel-tracing', 'default-tracing', 'datadog-backend']);
    assert.deepEqual(trace.proxy?.origins, trace.policies);
  });

  it('web-01: MeshRetry to backend folds the mesh-wide retry under the service one', () => {
    const retry = byType(matchPolicies(dp('web-01'), policiesByType, builtinRegistry), 'MeshRetry');
    assert.deepEqual(retry.policies, ['mesh-wide-tcp-retry', 'web-to-backend-retry']);
    assert.deepEqual(
      retry.to.map((t) => t.targetRef),
      [{ kind: 'Mesh' }, { kind: 'MeshService', name: 'backend' }],
    );
    assert.deepEqual(retry.to[0]?.conf, { tcp: { maxConnectAttempt: 3 } });
    const toBackend = retry.to[1]?.conf as { tcp: unknown; http: { numRetries: number } };
    assert.deepEqual(toBackend.tcp, { maxConnectAttempt: 5 });
    assert.equal(toBackend.http.numRetries, 10);
  });

  it('edge-gateway: Mesh-wide policies reach a delegated gateway', () => {
    const retry = byType(matchPolicies(dp('edge-gateway'), policiesByType, builtinRegistry), 'MeshRetry');
    assert.deepEqual(retry.policies, ['mesh-wide-tcp-retry']);
    assert.deepEqual(retry.from, []);
  });
});

describe('matchPolicies', () => {
  it('resolves policies on a MeshHTTPRoute through the routes of the mesh', () => {
    const web = dataplane('web-1', [{ port: 80, tags: { 'kuma.io/service': 'web' } }]);
    const route = policy('MeshHTTPRoute', 'web-route', { targetRef: { kind: 'MeshService', name: 'web' }, to: [] });
    const onRoute = policy('MeshTimeout', 'slow', {
      targetRef: { kind: 'MeshHTTPRoute', name: 'web-route' },
      to: [{ targetRef: { kind: 'Mesh' }, default: { http: { requestTimeout: '1m' } } }],
    });
    const byTypeMap = new Map([
      ['MeshHTTPRoute', [route]],
      ['MeshTimeout', [onRoute]],
    ]);
    const mt = byType(matchPolicies(web, byTypeMap, builtinRegistry), 'MeshTimeout');
    assert.deepEqual(mt.policies, ['slow']);
    assert.deepEqual(mt.to, [
      {
        targetRef: { kind: 'MeshHTTPRoute', name: 'web-route' },
        conf: { http: { requestTimeout: '1m' } },
        origins: ['slow'],
      },
    ]);
  });

  it('reports, rather than throws, when from rules would explode', () => {
    const dp = dataplane('d', [{ port: 80, tags: { 'kuma.io/service': 's' } }]);
    const from = ['a', 'b', 'c', 'd', 'e'].map((k, i) => ({
      targetRef: { kind: 'MeshSubset', tags: { [k]: '1' } },
      default: { idleTimeout: `${i + 1}s` },
    }));
    const mt = policy('MeshTimeout', 'many', { targetRef: { kind: 'Mesh' }, from });
    const got = byType(
      matchPolicies(dp, new Map([['MeshTimeout', [mt]]]), builtinRegistry, { maxRules: 8 }),
      'MeshTimeout',
    );
    assert.deepEqual(got.policies, ['many']);
    assert.deepEqual(got.from, []);
    assert.equal(got.warnings.length, 1);
  });
});
