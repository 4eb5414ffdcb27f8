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

  it("keeps a service's protocol while no instance serves it: declared by unready or offline ones, else remembered", async () => {
    const store = createMemoryStore();
    await store.create({ type: 'Mesh', name: 'default', labels: {}, spec: {} });
    await store.create(dataplane('web-1', 'web', '10.0.0.1'));
    await store.create(dataplane('backend-1', 'backend', '10.0.0.2', false));
    await store.create(dataplane('backend-2', 'backend', '10.0.0.3'));
    const options = {
      zone: 'zone-1',
      offline: new Set(['backend-2']),
      parseDurationMs: (t: string) => parseDuration(t, { allowDaysAndYears: true }),
    };
    const first = await buildMeshContext(store, builtinRegistry, 'default', options);
    assert.ok(first !== undefined);
    assert.equal(first.endpoints.get('backend'), undefined, 'no instance serves backend');
    assert.equal(first.protocols.get('backend'), 'http', 'its instances still declare http');

    // Every backend gone (e.g. a remote-only service whose ingress withdrew it): the protocol is remembered.
    await store.delete({ type: 'Dataplane', mesh: 'default', name: 'backend-1' });
    await store.delete({ type: 'Dataplane', mesh: 'default', name: 'backend-2' });
    const without = await buildMeshContext(store, builtinRegistry, 'default', options);
    assert.equal(without?.protocols.get('backend'), undefined, 'nothing to remember from');
    const remembered = await buildMeshContext(store, builtinRegistry, 'default', {
      ...options,
      previousProtocols: first.protocols,
    });
    assert.ok(remembered !== undefined);
    assert.equal(remembered.protocols.get('backend'), 'http');
    const web = remembered.dataplanes.get('web-1');
    assert.ok(web !== undefined);
    const proxy = buildProxyContext(remembered, web, undefined, { zone: 'zone-1', defaultAdminPort: 9901 });
    assert.equal(proxy.dataplane.outbounds[0]?.protocol, 'http');
  });
});

/** A ZoneIngress as another zone's CP registers it (and KDS brings it here). */
const zoneIngress = (
  name: string,
  networking: Record<string, unknown>,
  availableServices: readonly Record<string, unknown>[],
  placement: { zone?: string; labelZone?: string } = {},
) => ({
  type: 'ZoneIngress',
  name,
  labels: placement.labelZone === undefined ? {} : { 'kuma.io/origin': 'global', 'kuma.io/zone': placement.labelZone },
  spec: { ...(placement.zone === undefined ? {} : { zone: placement.zone }), networking, availableServices },
});

const svc = (service: string, instances: number, tags: Record<string, string> = {}, mesh = 'default') => ({
  tags: { 'kuma.io/service': service, ...tags },
  instances,
  mesh,
});

/** web (consuming backend and payments) and one local backend, in zone-1; ingresses of zones 1–4. */
async function crossZoneStore(mtls: boolean) {
  const store = createMemoryStore();
  await store.create({
    type: 'Mesh',
    name: 'default',
    labels: {},
    spec: mtls ? { mtls: { enabledBackend: 'ca-1', backends: [{ name: 'ca-1', type: 'builtin' }] } } : {},
  });
  await store.create(dataplane('backend-1', 'backend', '10.0.0.2'));
  const web = dataplane('web-1', 'web', '10.0.0.1');
  web.spec.networking.outbound.push({ port: 20_002, tags: { 'kuma.io/service': 'payments' } });
  await store.create(web);
  // zone-2, first ingress: advertised address wins; version differs between tag sets, so it is dropped.
  await store.create(
    zoneIngress(
      'zi-zone-2-a',
      { address: '10.2.0.1', port: 10_001, advertisedAddress: '203.0.113.10', advertisedPort: 30_001 },
      [
        svc('backend', 2, { 'kuma.io/protocol': 'http', version: 'v1' }),
        svc('backend', 1, { 'kuma.io/protocol': 'http', version: 'v2' }),
        svc('payments', 2, { 'kuma.io/protocol': 'grpc' }),
        svc('billing', 4, {}, 'other'),
      ],
      { zone: 'zone-2', labelZone: 'zone-2' },
    ),
  );
  // zone-2, second ingress: zone only in the KDS label, no advertised address.
  await store.create(
    zoneIngress(
      'zi-zone-2-b',
      { address: '10.2.0.2', port: 10_001 },
      [svc('backend', 3, { 'kuma.io/protocol': 'http' })],
      {
        labelZone: 'zone-2',
      },
    ),
  );
  // This zone's own ingress: ignored.
  await store.create(
    zoneIngress('zi-zone-1', { address: '10.0.0.9', port: 10_001 }, [svc('backend', 1)], { zone: 'zone-1' }),
  );
  // No address yet, and no instances: ignored.
  await store.create(zoneIngress('zi-zone-3', { port: 10_001 }, [svc('backend', 1)], { zone: 'zone-3' }));
  await store.create(
    zoneIngress('zi-zone-4', { address: '10.4.0.1', port: 10_001 }, [svc('backend', 0)], { zone: 'zone-4' }),
  );
  const ctx = await buildMeshContext(store, builtinRegistry, 'default', {
    zone: 'zone-1',
    offline: new Set(),
    parseDurationMs: (t) => parseDuration(t, { allowDaysAndYears: true }),
  });
  assert.ok(ctx !== undefined);
  const webDp = ctx.dataplanes.get('web-1');
  assert.ok(webDp !== undefined);
  return { ctx, proxy: buildProxyContext(ctx, webDp, undefined, { zone: 'zone-1', defaultAdminPort: 9901 }) };
}

describe('services of other zones, through their zone ingresses', () => {
  it('with mTLS: one endpoint per remote ingress and service, weighted by instances, with locality and SNI', async () => {
    const { ctx, proxy } = await crossZoneStore(true);
    assert.deepEqual(ctx.endpoints.get('backend'), [
      {
        address: '10.0.0.2',
        port: 10_001,
        tags: { 'kuma.io/service': 'backend', 'kuma.io/protocol': 'http' },
        zone: 'zone-1',
      },
      {
        address: '10.2.0.2',
        port: 10_001,
        tags: { 'kuma.io/service': 'backend', 'kuma.io/protocol': 'http', 'kuma.io/zone': 'zone-2' },
        zone: 'zone-2',
        weight: 3,
        locality: { zone: 'zone-2' },
        sni: 'backend{mesh=default}',
      },
      {
        address: '203.0.113.10',
        port: 30_001,
        tags: { 'kuma.io/service': 'backend', 'kuma.io/protocol': 'http', 'kuma.io/zone': 'zone-2' },
        zone: 'zone-2',
        weight: 3,
        locality: { zone: 'zone-2' },
        sni: 'backend{mesh=default}',
      },
    ]);
    assert.deepEqual(
      ctx.endpoints.get('payments')?.map((e) => [e.address, e.port, e.weight, e.sni]),
      [['203.0.113.10', 30_001, 2, 'payments{mesh=default}']],
    );
    assert.equal(ctx.endpoints.has('billing'), false, 'a service of another mesh is not this mesh’s');
    // payments has no local inbound: its protocol comes from the tags its ingress advertises.
    assert.equal(ctx.protocols.get('payments'), 'grpc');
    assert.deepEqual(ctx.unreachableRemote, []);

    assert.deepEqual(
      proxy.dataplane.outbounds.map((o) => [o.service, o.protocol]),
      [
        ['backend', 'http'],
        ['payments', 'grpc'],
      ],
    );
    assert.equal(proxy.warnings, undefined);
    const eds = generateProxyResources(proxy).endpoints.find((e) => e.clusterName === 'backend');
    assert.deepEqual(
      eds?.endpoints.map((l) => [l.locality?.zone, l.priority, l.lbEndpoints.map((e) => e.loadBalancingWeight)]),
      [
        ['zone-1', 0, [1]],
        ['zone-2', 1, [3, 3]],
      ],
    );
  });

  it('without mTLS: no remote endpoints, and each unreachable (service, zone) says why', async () => {
    const { ctx, proxy } = await crossZoneStore(false);
    assert.deepEqual(
      ctx.endpoints.get('backend')?.map((e) => e.address),
      ['10.0.0.2'],
    );
    assert.equal(ctx.endpoints.has('payments'), false);
    const reason = 'mesh default has no mTLS; cross-zone traffic through a zone ingress needs it';
    assert.deepEqual(ctx.unreachableRemote, [
      { code: 'CrossZoneNeedsMtls', service: 'backend', zone: 'zone-2', reason },
      { code: 'CrossZoneNeedsMtls', service: 'payments', zone: 'zone-2', reason },
    ]);
    // The proxy's warnings are about what it consumes.
    assert.deepEqual(
      proxy.warnings?.map((w) => [w.code, w.service, w.zone]),
      [
        ['CrossZoneNeedsMtls', 'backend', 'zone-2'],
        ['CrossZoneNeedsMtls', 'payments', 'zone-2'],
      ],
    );
  });
});
