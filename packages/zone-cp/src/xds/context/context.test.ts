import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinRegistry, createMemoryStore, parseDuration } from '@strait/shared';
import { generateProxyResources } from '../generate/index.js';
import { buildMeshContext } from './mesh-context.js';
import { buildProxyContext } from './proxy-context.js';

const dataplane = (name: string, service: string, address: string, ready = true) => ({
  type: 'Dataplane',
  mesh: 'default',
  name,
  labels: {},
  spec: {
    networking: {
      address,
      inbound: [
        {
          port: 10_001,
          servicePort: 10_000,
          tags: { 'kuma.io/service': service, 'kuma.io/protocol': 'http' },
          health: { ready },
        },
      ],
      outbound: [{ port: 20_001, tags: { 'kuma.io/service': 'backend' } }],
    },
  },
});

describe('mesh and proxy contexts', () => {
  it('collects ready endpoints, protocols and the mesh Prometheus backend; skips offline proxies', async () => {
    const store = createMemoryStore();
    await store.create({
      type: 'Mesh',
      name: 'default',
      labels: {},
      spec: {
        metrics: { enabledBackend: 'prom', backends: [{ name: 'prom', type: 'prometheus', conf: { port: 5671 } }] },
      },
    });
    await store.create(dataplane('web-1', 'web', '10.0.0.1'));
    await store.create(dataplane('backend-1', 'backend', '10.0.0.2'));
    await store.create(dataplane('backend-2', 'backend', '10.0.0.3', false));
    await store.create(dataplane('backend-3', 'backend', '10.0.0.4'));
    const ctx = await buildMeshContext(store, builtinRegistry, 'default', {
      zone: 'zone-1',
      offline: new Set(['backend-3']),
      parseDurationMs: (t) => parseDuration(t, { allowDaysAndYears: true }),
    });
    assert.ok(ctx !== undefined);
    assert.deepEqual(
      ctx.endpoints.get('backend')?.map((e) => e.address),
      ['10.0.0.2'],
    );
    assert.equal(ctx.protocols.get('backend'), 'http');
    assert.deepEqual(ctx.metrics, { port: 5671, path: '/metrics' });

    const web = ctx.dataplanes.get('web-1');
    assert.ok(web !== undefined);
    const proxy = buildProxyContext(ctx, web, undefined, { zone: 'zone-1', defaultAdminPort: 9901 });
    assert.equal(proxy.metricsPort, 5671);
    assert.equal(proxy.dataplane.outbounds[0]?.protocol, 'http');
    assert.deepEqual([...proxy.endpoints.keys()], ['backend']);
    const prometheus = generateProxyResources(proxy).listeners.find((l) => l.name === 'kuma:metrics:prometheus');
    const address = prometheus?.address?.address;
    assert.equal(address?.case === 'socketAddress' ? address.value.portSpecifier.value : undefined, 5671);
  });
});
