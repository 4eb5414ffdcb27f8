/**
 * Memoized generation (a GenerationMemo shared by proxies of the same mesh inputs, a ProxyMemo
 * kept per proxy between generations) must give byte for byte what generating from scratch
 * gives, whatever changed between two generations: a memo that served a stale resource would
 * fail here. It must also actually reuse what did not change (that is its point).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBinary } from '@bufbuild/protobuf';
import {
  ClusterLoadAssignmentSchema,
  ClusterSchema,
  ListenerSchema,
  RouteConfigurationSchema,
  SecretSchema,
} from '@strait/proto/envoy';
import {
  createGenerationMemo,
  type GenerationMemo,
  generateProxyResources,
  memoAfterInboundPolicyChange,
  type ProxyResources,
} from './generate-proxy.js';
import type { Outbound, ProxyContext } from './proxy-context.js';
import { beginProxyGeneration, createProxyMemo, reused } from './proxy-memo.js';
import { httpInbound, proxyContext, rule, service, tcpInbound } from './test-contexts.js';

/** Every resource as its wire bytes (hex), per type, in order: equal strings mean equal config. */
function wire(r: ProxyResources): string {
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
  return JSON.stringify({
    listeners: r.listeners.map((m) => [m.name, hex(toBinary(ListenerSchema, m))]),
    clusters: r.clusters.map((m) => [m.name, hex(toBinary(ClusterSchema, m))]),
    endpoints: r.endpoints.map((m) => [m.clusterName, hex(toBinary(ClusterLoadAssignmentSchema, m))]),
    routes: r.routes.map((m) => [m.name, hex(toBinary(RouteConfigurationSchema, m))]),
    secrets: r.secrets.map((m) => [m.name, hex(toBinary(SecretSchema, m))]),
  });
}

/** The same objects, in the same order. */
function assertSameObjects(actual: readonly { name: string }[], expected: readonly { name: string }[]): void {
  assert.equal(actual.length, expected.length);
  for (const [i, resource] of actual.entries()) assert.equal(resource, expected[i], resource.name);
}

const STRICT = { backendName: 'ca-1', mode: 'STRICT' } as const;
const OUTBOUNDS: readonly Outbound[] = [
  { port: 20001, service: 'backend', protocol: 'http' },
  { port: 20003, service: 'redis', protocol: 'tcp' },
];
const ALLOW_ALL = [rule('Allow')];
const DENY_WEB = [rule('Deny', service('web')), rule('Allow')];

type Options = Parameters<typeof proxyContext>[0];

function base(overrides: Partial<Options> = {}): ProxyContext {
  return proxyContext({
    name: 'backend-1',
    serviceName: 'backend',
    mtls: STRICT,
    inbounds: [httpInbound(8080, 18080, ALLOW_ALL), tcpInbound(6379, 16379, ALLOW_ALL)],
    outbounds: OUTBOUNDS,
    metricsPort: 5670,
    ...overrides,
  });
}

/** {@link base} without mTLS. */
function plaintext(): ProxyContext {
  return proxyContext({
    name: 'backend-1',
    serviceName: 'backend',
    inbounds: [httpInbound(8080, 18080, ALLOW_ALL), tcpInbound(6379, 16379, ALLOW_ALL)],
    outbounds: OUTBOUNDS,
    metricsPort: 5670,
  });
}

const withSecrets = (ctx: ProxyContext, certPem: string): ProxyContext => ({
  ...ctx,
  secrets: (ctx.secrets ?? []).map((s) => (s.certPem === undefined ? s : { ...s, certPem })),
});

/**
 * One proxy's successive contexts; `inboundPolicyOnly` marks a step whose mesh inputs differ
 * from the previous step's only in permissions (the reconciler then carries the memo over).
 */
const STEPS: readonly { readonly label: string; readonly ctx: ProxyContext; readonly inboundPolicyOnly?: boolean }[] = [
  { label: 'first generation', ctx: base() },
  { label: 'nothing changed', ctx: base(), inboundPolicyOnly: true },
  {
    label: 'HTTP inbound permissions',
    ctx: base({ inbounds: [httpInbound(8080, 18080, DENY_WEB), tcpInbound(6379, 16379, ALLOW_ALL)] }),
    inboundPolicyOnly: true,
  },
  {
    label: 'TCP inbound permissions',
    ctx: base({ inbounds: [httpInbound(8080, 18080, DENY_WEB), tcpInbound(6379, 16379, DENY_WEB)] }),
    inboundPolicyOnly: true,
  },
  { label: 'permissions back to allow-all', ctx: base(), inboundPolicyOnly: true },
  { label: 'mTLS PERMISSIVE', ctx: base({ mtls: { backendName: 'ca-1', mode: 'PERMISSIVE' } }) },
  { label: 'mTLS off', ctx: plaintext() },
  { label: 'mTLS STRICT again', ctx: base() },
  {
    label: 'service port',
    ctx: base({ inbounds: [httpInbound(8080, 18081, ALLOW_ALL), tcpInbound(6379, 16379, ALLOW_ALL)] }),
  },
  {
    label: 'inbound protocol',
    ctx: base({
      inbounds: [{ ...httpInbound(8080, 18080, ALLOW_ALL), protocol: 'tcp' }, tcpInbound(6379, 16379, ALLOW_ALL)],
    }),
  },
  { label: 'inbound removed', ctx: base({ inbounds: [httpInbound(8080, 18080, ALLOW_ALL)] }) },
  { label: 'inbound back', ctx: base() },
  { label: 'dataplane address', ctx: base({ address: '10.0.0.2' }) },
  { label: 'address back', ctx: base() },
  { label: 'certificate renewed', ctx: withSecrets(base(), 'renewed certificate') },
  { label: 'metrics port', ctx: withSecrets(base({ metricsPort: 5671 }), 'renewed certificate') },
  {
    label: 'metrics path',
    ctx: { ...withSecrets(base({ metricsPort: 5671 }), 'renewed certificate'), metricsPath: '/m' },
  },
  {
    label: 'identity secret names',
    ctx: {
      ...base(),
      identity: { spiffeId: 'spiffe://default/backend', certSecretName: 'cert-2', caSecretName: 'ca-2' },
    },
  },
  { label: 'mesh name', ctx: { ...base(), mesh: { name: 'other', mtls: STRICT } } },
  { label: 'outbound protocol', ctx: base({ outbounds: [{ ...OUTBOUNDS[0], protocol: 'grpc' } as Outbound] }) },
  { label: 'back to the first context', ctx: base() },
];

describe('memoized generation', () => {
  it('gives exactly what generating from scratch gives, through every kind of change', () => {
    const proxyMemo = createProxyMemo();
    let memo: GenerationMemo | undefined;
    for (const step of STEPS) {
      memo =
        memo !== undefined && step.inboundPolicyOnly === true
          ? memoAfterInboundPolicyChange(memo)
          : createGenerationMemo();
      const memoized = generateProxyResources(step.ctx, memo, proxyMemo);
      assert.equal(wire(memoized), wire(generateProxyResources(step.ctx)), `after "${step.label}"`);
    }
  });

  it('hands back unchanged resources as the same objects and regenerates what a change affects', () => {
    const proxyMemo = createProxyMemo();
    const memo = createGenerationMemo();
    const first = generateProxyResources(base(), memo, proxyMemo);
    const again = generateProxyResources(base(), memoAfterInboundPolicyChange(memo), proxyMemo);
    assertSameObjects(first.listeners, again.listeners);
    assertSameObjects(first.secrets, again.secrets);
    assertSameObjects(first.clusters, again.clusters);

    const denied = base({ inbounds: [httpInbound(8080, 18080, DENY_WEB), tcpInbound(6379, 16379, ALLOW_ALL)] });
    const changed = generateProxyResources(denied, memoAfterInboundPolicyChange(memo), proxyMemo);
    const byName = new Map(again.listeners.map((l) => [l.name, l]));
    for (const listener of changed.listeners) {
      const before = byName.get(listener.name);
      assert.ok(before, listener.name);
      if (listener.name === 'inbound:10.0.0.1:8080') {
        assert.notDeepEqual(toBinary(ListenerSchema, listener), toBinary(ListenerSchema, before));
      } else {
        assert.equal(listener, before, listener.name);
      }
    }
    assertSameObjects(changed.clusters, again.clusters);
    assertSameObjects(changed.secrets, again.secrets);

    const renewed = generateProxyResources(withSecrets(denied, 'renewed'), memo, proxyMemo);
    assert.notEqual(renewed.secrets[0], changed.secrets[0]);
    assert.equal(renewed.listeners[0], changed.listeners[0]);
  });

  it('shares inbound filter chains between proxies of a service, and keeps TCP RBAC stats per listener', () => {
    const memo = createGenerationMemo();
    const a = generateProxyResources(base({ name: 'backend-1' }), memo);
    const b = generateProxyResources(base({ name: 'backend-2', address: '10.0.0.2' }), memo);
    const http = (r: ProxyResources, address: string) => r.listeners.find((l) => l.name === `inbound:${address}:8080`);
    const tcp = (r: ProxyResources, address: string) => r.listeners.find((l) => l.name === `inbound:${address}:6379`);
    assert.equal(http(a, '10.0.0.1')?.filterChains[0], http(b, '10.0.0.2')?.filterChains[0]);
    assert.notEqual(tcp(a, '10.0.0.1')?.filterChains[0], tcp(b, '10.0.0.2')?.filterChains[0]);
    assert.equal(wire(b), wire(generateProxyResources(base({ name: 'backend-2', address: '10.0.0.2' }))));

    // Another proxy of the service under other permissions does not get the first one's chains.
    const c = generateProxyResources(
      base({ name: 'backend-3', address: '10.0.0.3', inbounds: [httpInbound(8080, 18080, DENY_WEB)] }),
      memo,
    );
    assert.notEqual(http(c, '10.0.0.3')?.filterChains[0], http(a, '10.0.0.1')?.filterChains[0]);
  });
});

describe('reused', () => {
  it('remakes a value when any input differs and forgets slots a generation did not use', () => {
    const memo = createProxyMemo();
    const generation = (slots: readonly string[], input: unknown) => {
      beginProxyGeneration(memo);
      return slots.map((slot) => reused(memo, slot, [slot, input], () => ({ slot, input })));
    };
    const [a1, b1] = generation(['a', 'b'], 1);
    const [a2, b2] = generation(['a', 'b'], 1);
    assert.equal(a2, a1);
    assert.equal(b2, b1);
    const [a3] = generation(['a'], 1);
    assert.equal(a3, a1);
    const [, b4] = generation(['a', 'b'], 1);
    assert.notEqual(b4, b1, 'slot b was dropped by the generation that did not use it');
    const [a5] = generation(['a'], 2);
    assert.notEqual(a5, a1);
    assert.deepEqual(a5, { slot: 'a', input: 2 });
    assert.equal(
      reused(undefined, 'a', [], () => 'fresh'),
      'fresh',
    );
  });
});
