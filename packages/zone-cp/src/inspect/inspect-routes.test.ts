import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { problemFor } from '@strait/api';
import { builtinRegistry, createMemoryStore, parseDuration, type StraitError } from '@strait/shared';
import Fastify from 'fastify';
import { buildIngressContext } from '../xds/context/ingress-context.js';
import { buildMeshContext } from '../xds/context/mesh-context.js';
import { buildProxyContext } from '../xds/context/proxy-context.js';
import { generateIngressResources, generateProxyResources } from '../xds/generate/index.js';
import { registerInspectRoutes } from './inspect-routes.js';

const ZONE = 'zone-1';

/** A zone whose mesh `default` has no mTLS, `web` consuming `backend`, which lives only in zone-2. */
async function zoneWithoutMtls() {
  const store = createMemoryStore();
  await store.create({ type: 'Mesh', name: 'default', labels: {}, spec: {} });
  await store.create({
    type: 'Dataplane',
    mesh: 'default',
    name: 'web-1',
    labels: {},
    spec: {
      networking: {
        address: '10.0.0.1',
        inbound: [{ port: 10_001, servicePort: 10_000, tags: { 'kuma.io/service': 'web' } }],
        outbound: [{ port: 20_001, tags: { 'kuma.io/service': 'backend' } }],
      },
    },
  });
  await store.create({
    type: 'ZoneIngress',
    name: 'zi-zone-2',
    labels: { 'kuma.io/origin': 'global', 'kuma.io/zone': 'zone-2' },
    spec: {
      zone: 'zone-2',
      networking: { address: '10.2.0.1', port: 10_001 },
      availableServices: [{ tags: { 'kuma.io/service': 'backend' }, instances: 2, mesh: 'default' }],
    },
  });
  return store;
}

describe('dataplane inspect', () => {
  it('xds and _config list why a consumed service of another zone is unreachable', async () => {
    const store = await zoneWithoutMtls();
    const app = Fastify();
    registerInspectRoutes(app, {
      store,
      registry: builtinRegistry,
      // What the reconciler's inspect does, without the snapshot cache and certificates around it.
      reconciler: {
        async inspect(mesh, name) {
          const meshCtx = await buildMeshContext(store, builtinRegistry, mesh, {
            zone: ZONE,
            offline: new Set(),
            parseDurationMs: (t) => parseDuration(t, { allowDaysAndYears: true }),
          });
          const dataplane = meshCtx?.dataplanes.get(name);
          if (meshCtx === undefined || dataplane === undefined) return undefined;
          const context = buildProxyContext(meshCtx, dataplane, undefined, { zone: ZONE, defaultAdminPort: 9901 });
          return { context, resources: generateProxyResources(context) };
        },
        inspectIngress: async () => undefined,
      },
    });
    try {
      for (const path of ['xds', '_config']) {
        const res = await app.inject({ method: 'GET', url: `/meshes/default/dataplanes/web-1/${path}` });
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json() as { warnings: unknown[]; endpoints: { clusterName: string; endpoints?: unknown[] }[] };
        assert.deepEqual(body.warnings, [
          {
            code: 'CrossZoneNeedsMtls',
            service: 'backend',
            zone: 'zone-2',
            reason: 'mesh default has no mTLS; cross-zone traffic through a zone ingress needs it',
          },
        ]);
        // …and the cluster is there, with no endpoints to send to.
        assert.deepEqual(
          body.endpoints.map((e) => [e.clusterName, e.endpoints ?? []]),
          [['backend', []]],
        );
      }
    } finally {
      await app.close();
    }
  });
});

describe('zone ingress inspect', () => {
  it("xds and _config show the SNI filter chains of this zone's ingress; an unknown one is 404", async () => {
    const store = createMemoryStore();
    await store.create({ type: 'Mesh', name: 'default', labels: {}, spec: {} });
    await store.create({
      type: 'Dataplane',
      mesh: 'default',
      name: 'backend-1',
      labels: {},
      spec: {
        networking: {
          address: '10.0.0.2',
          inbound: [{ port: 10_001, servicePort: 10_000, tags: { 'kuma.io/service': 'backend' } }],
        },
      },
    });
    await store.create({
      type: 'ZoneIngress',
      name: 'zi-1',
      labels: {},
      spec: { zone: ZONE, networking: { address: '10.0.0.9', port: 10_001 } },
    });
    const app = Fastify();
    // The API server's error mapping: a StraitError's code decides the status.
    app.setErrorHandler((err, req, reply) => {
      const body = problemFor(err as StraitError, req.url);
      void reply.status(body.status).send(body);
    });
    registerInspectRoutes(app, {
      store,
      registry: builtinRegistry,
      reconciler: {
        inspect: async () => undefined,
        // What the reconciler's inspectIngress does, without the snapshot cache around it.
        async inspectIngress(name) {
          const ingress = await store.get({ type: 'ZoneIngress', name });
          if (ingress === undefined) return undefined;
          const dataplanes = (await store.list({ type: 'Dataplane' })).items;
          const context = buildIngressContext(ingress, dataplanes, { zone: ZONE, isOffline: () => false });
          return { context, resources: generateIngressResources(context) };
        },
      },
    });
    try {
      for (const path of ['xds', '_config']) {
        const res = await app.inject({ method: 'GET', url: `/zoneingresses/zi-1/${path}` });
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json() as {
          listeners: { filterChains: { filterChainMatch?: { serverNames?: string[] } }[] }[];
          secrets: unknown[];
        };
        const snis = body.listeners.flatMap((l) =>
          l.filterChains.flatMap((c) => c.filterChainMatch?.serverNames ?? []),
        );
        assert.deepEqual(snis, ['backend{kuma.io/zone=zone-1,mesh=default}', 'backend{mesh=default}']);
        assert.deepEqual(body.secrets, [], 'the ingress holds no mesh certificates');
      }
      const missing = await app.inject({ method: 'GET', url: '/zoneingresses/nope/xds' });
      assert.equal(missing.statusCode, 404, missing.body);
      assert.match(missing.body, /ZoneIngress nope not found/);
    } finally {
      await app.close();
    }
  });
});
