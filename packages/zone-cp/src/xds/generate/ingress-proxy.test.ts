/**
 * Zone ingress generation: golden files (`UPDATE_GOLDEN=1` rewrites them), `envoy --mode
 * validate` on each, and the shape that matters: SNI passthrough with no TLS of its own.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { toJson } from '@bufbuild/protobuf';
import { ClusterLoadAssignmentSchema, ClusterSchema, envoyRegistry, ListenerSchema } from '@strait/proto/envoy';
import { envoyBinary, validateWithEnvoy, writeBootstrap } from './envoy-harness.js';
import { generateIngressResources } from './ingress-proxy.js';
import { INGRESS_GOLDEN_CONTEXTS, TWO_MESHES } from './ingress-test-contexts.js';
import { toStaticBootstrap } from './static-bootstrap.js';

const update = process.env.UPDATE_GOLDEN === '1';
const dir = mkdtempSync(join(tmpdir(), 'strait-ingress-generate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function render(ctx: Parameters<typeof generateIngressResources>[0]): string {
  const r = generateIngressResources(ctx);
  const json = {
    listeners: r.listeners.map((m) => toJson(ListenerSchema, m, { registry: envoyRegistry })),
    clusters: r.clusters.map((m) => toJson(ClusterSchema, m, { registry: envoyRegistry })),
    endpoints: r.endpoints.map((m) => toJson(ClusterLoadAssignmentSchema, m, { registry: envoyRegistry })),
    routes: r.routes,
    secrets: r.secrets,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

describe('generateIngressResources golden files', () => {
  for (const [name, ctx] of INGRESS_GOLDEN_CONTEXTS) {
    it(name, () => {
      const file = new URL(`./testdata/${name}.golden.json`, import.meta.url);
      const actual = render(ctx);
      if (update) writeFileSync(file, actual);
      assert.equal(
        actual,
        readFileSync(file, 'utf8'),
        `${name} differs from its golden file; UPDATE_GOLDEN=1 rewrites it`,
      );
    });
  }

  it('is deterministic and independent of target order', () => {
    const reversed = { ...TWO_MESHES, targets: [...TWO_MESHES.targets].reverse() };
    assert.equal(render(reversed), render(TWO_MESHES));
  });

  it('one filter chain per SNI, each a TCP proxy to its own cluster; no TLS, no default chain, no secrets', () => {
    const r = generateIngressResources(TWO_MESHES);
    const [listener] = r.listeners;
    assert.ok(listener !== undefined);
    assert.deepEqual(
      listener.listenerFilters.map((f) => f.name),
      ['envoy.filters.listener.tls_inspector'],
    );
    assert.equal(listener.defaultFilterChain, undefined);
    const snis = listener.filterChains.map((c) => c.filterChainMatch?.serverNames);
    assert.deepEqual(snis, [
      ['backend{kuma.io/zone=zone-2,mesh=default,version=v1}'],
      ['backend{kuma.io/zone=zone-2,mesh=default,version=v2}'],
      ['backend{mesh=default}'],
      ['backend{mesh=payments}'],
    ]);
    assert.ok(listener.filterChains.every((c) => c.transportSocket === undefined));
    assert.ok(r.clusters.every((c) => c.transportSocket === undefined));
    assert.deepEqual(
      r.clusters.map((c) => c.name),
      snis.map((s) => s?.[0]),
    );
    assert.deepEqual(r.secrets, []);
  });

  it('keeps one target per SNI (Envoy refuses duplicate filter chain matches)', () => {
    const first = TWO_MESHES.targets[0];
    assert.ok(first !== undefined);
    const dup = { ...TWO_MESHES, targets: [...TWO_MESHES.targets, { ...first, endpoints: [] }] };
    assert.equal(render(dup), render(TWO_MESHES));
  });
});

describe('envoy --mode validate accepts the ingress config', () => {
  const binary = envoyBinary();
  for (const [name, ctx] of INGRESS_GOLDEN_CONTEXTS) {
    it(name, async () => {
      const bootstrap = toStaticBootstrap(generateIngressResources(ctx), { nodeId: `ingress/${name}`, adminPort: 0 });
      const { code, output } = await validateWithEnvoy(binary, writeBootstrap(dir, `validate-${name}`, bootstrap));
      assert.equal(code, 0, output);
    });
  }
});
