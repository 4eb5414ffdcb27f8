/**
 * The generated config against a real Envoy: every golden context, made static, passes
 * `envoy --mode validate`; plaintext HTTP and TCP flow through a generated outbound listener to
 * a generated inbound listener; and between two Envoys with mesh mTLS, traffic permissions
 * decide (HTTP RBAC answers 403 to a denied caller).
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CaHandle, createRootCa, issueWorkloadCertificate, loadCa, type PermissionRule } from '@strait/shared';
import {
  ENVOY_DEADLINE_MS,
  envoyBinary,
  freePort,
  httpGet,
  type RunningEnvoy,
  startEnvoy,
  startHttpService,
  startTcpService,
  tcpExchange,
  validateWithEnvoy,
  writeBootstrap,
} from './envoy-harness.js';
import { generateProxyResources, type ProxyResources } from './generate-proxy.js';
import type { ProxyContext, ProxySecret } from './proxy-context.js';
import { toStaticBootstrap } from './static-bootstrap.js';
import { GOLDEN_CONTEXTS, httpInbound, MESH, proxyContext, rule, service, tcpInbound } from './test-contexts.js';

const binary = envoyBinary();
const dir = mkdtempSync(join(tmpdir(), 'strait-envoy-generate-'));
const envoys: RunningEnvoy[] = [];
let ca: CaHandle;

before(async () => {
  const material = await createRootCa({ commonName: MESH, validForMs: 3_600_000, trustDomain: MESH });
  ca = await loadCa(material);
});

/** Stops every Envoy started so far (each suite cleans up after itself). */
async function stopEnvoys(): Promise<void> {
  await Promise.all(envoys.splice(0).map((e) => e.kill()));
}

after(async () => {
  await stopEnvoys();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Real secrets for a proxy, under the names the contexts use: one certificate with the SPIFFE
 * ID of each service the proxy implements (as Kuma issues them), its identity's first.
 */
async function realSecrets(ctx: ProxyContext): Promise<ProxySecret[]> {
  const ids = [
    ...new Set([
      ctx.identity?.spiffeId ?? `spiffe://${MESH}/unknown`,
      ...ctx.dataplane.inbounds.map((i) => `spiffe://${MESH}/${i.service}`),
    ]),
  ];
  const [spiffeId = '', ...extraUris] = ids;
  const cert = await issueWorkloadCertificate(ca, { spiffeId, extraUris, validForMs: 3_600_000 });
  return [
    { name: 'identity_cert:secret:default', certPem: cert.chainPem, keyPem: cert.keyPem },
    { name: 'mesh_ca:secret:default', caPem: ca.certPem },
  ];
}

async function withRealSecrets(ctx: ProxyContext): Promise<ProxyContext> {
  if (ctx.secrets === undefined) return ctx;
  return { ...ctx, secrets: await realSecrets(ctx) };
}

/** The resources of several proxies in one Envoy (shared clusters, like the admin one, once). */
function merge(...all: ProxyResources[]): ProxyResources {
  const unique = <T extends { name: string }>(items: T[]) => [...new Map(items.map((i) => [i.name, i])).values()];
  return {
    listeners: unique(all.flatMap((r) => r.listeners)),
    clusters: unique(all.flatMap((r) => r.clusters)),
    endpoints: all.flatMap((r) => r.endpoints),
    routes: all.flatMap((r) => r.routes),
    secrets: unique(all.flatMap((r) => r.secrets)),
  };
}

async function run(name: string, resources: ProxyResources, adminPort: number): Promise<RunningEnvoy> {
  const path = writeBootstrap(dir, name, toStaticBootstrap(resources, { nodeId: name, adminPort }));
  const envoy = await startEnvoy(binary, path, dir, name);
  envoys.push(envoy);
  return envoy;
}

describe('envoy --mode validate accepts every golden context', () => {
  for (const [name, golden] of GOLDEN_CONTEXTS) {
    it(name, async () => {
      const ctx = await withRealSecrets(golden);
      const bootstrap = toStaticBootstrap(generateProxyResources(ctx), { nodeId: name, adminPort: 0 });
      const { code, output } = await validateWithEnvoy(binary, writeBootstrap(dir, `validate-${name}`, bootstrap));
      assert.equal(code, 0, output);
    });
  }
});

describe('plaintext traffic through generated listeners', { timeout: ENVOY_DEADLINE_MS * 2 }, () => {
  let http: { server: Server; port: number };
  let tcp: { server: NetServer; port: number };
  const ports = { httpInbound: 0, tcpInbound: 0, httpOutbound: 0, tcpOutbound: 0, metrics: 0, admin: 0 };

  before(async () => {
    http = await startHttpService('hello from backend');
    tcp = await startTcpService('hello from redis');
    for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await freePort();
    const backend = proxyContext({
      name: 'backend-01',
      serviceName: 'backend',
      address: '127.0.0.1',
      adminPort: ports.admin,
      metricsPort: ports.metrics,
      inbounds: [httpInbound(ports.httpInbound, http.port, []), tcpInbound(ports.tcpInbound, tcp.port, [])],
    });
    const web = proxyContext({
      name: 'web-01',
      serviceName: 'web',
      address: '127.0.0.1',
      adminPort: ports.admin,
      outbounds: [
        { port: ports.httpOutbound, service: 'backend', protocol: 'http' },
        { port: ports.tcpOutbound, service: 'redis', protocol: 'tcp' },
      ],
      endpoints: new Map([
        ['backend', [{ address: '127.0.0.1', port: ports.httpInbound, tags: service('backend') }]],
        ['redis', [{ address: '127.0.0.1', port: ports.tcpInbound, tags: service('redis') }]],
      ]),
    });
    await run('plaintext', merge(generateProxyResources(backend), generateProxyResources(web)), ports.admin);
  });

  after(async () => {
    await stopEnvoys();
    http.server.close();
    tcp.server.close();
  });

  it('an HTTP request to the outbound port reaches the service behind the inbound', async () => {
    const res = await httpGet(ports.httpOutbound);
    assert.deepEqual(res, { status: 200, body: 'hello from backend' });
  });

  it('a TCP connection to the outbound port reaches the service behind the inbound', async () => {
    assert.equal(await tcpExchange(ports.tcpOutbound, 'PING\r\n'), 'hello from redis');
  });

  it('the Prometheus listener serves the admin stats', async () => {
    const res = await httpGet(ports.metrics, '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.body, /^# TYPE envoy_/m);
    assert.match(res.body, /envoy_cluster_upstream_rq_total\{envoy_cluster_name="backend"\}/);
  });
});

describe('mTLS between two Envoys, permissions enforced', { timeout: ENVOY_DEADLINE_MS * 6 }, () => {
  let http: { server: Server; port: number };
  let tcp: { server: NetServer; port: number };

  before(async () => {
    http = await startHttpService('hello over mTLS');
    tcp = await startTcpService('redis over mTLS');
  });

  after(async () => {
    await stopEnvoys();
    http.server.close();
    tcp.server.close();
  });

  /**
   * A backend Envoy (`rules` on both inbounds) and a web Envoy calling it; returns web's
   * outbound ports and backend's HTTP inbound port.
   */
  async function pair(
    name: string,
    rules: readonly PermissionRule[],
    mode: 'STRICT' | 'PERMISSIVE' = 'STRICT',
  ): Promise<{ http: number; tcp: number; inbound: number }> {
    const [httpInboundPort, tcpInboundPort, httpOutbound, tcpOutbound, backendAdmin, webAdmin] = await Promise.all(
      Array.from({ length: 6 }, freePort),
    );
    const mtls = { backendName: 'ca-1', mode };
    const backend = proxyContext({
      name: `backend-${name}`,
      serviceName: 'backend',
      address: '127.0.0.1',
      adminPort: backendAdmin ?? 0,
      mtls,
      inbounds: [httpInbound(httpInboundPort ?? 0, http.port, rules), tcpInbound(tcpInboundPort ?? 0, tcp.port, rules)],
    });
    const web = proxyContext({
      name: `web-${name}`,
      serviceName: 'web',
      address: '127.0.0.1',
      adminPort: webAdmin ?? 0,
      mtls,
      outbounds: [
        { port: httpOutbound ?? 0, service: 'backend', protocol: 'http' },
        { port: tcpOutbound ?? 0, service: 'redis', protocol: 'tcp' },
      ],
      endpoints: new Map([
        ['backend', [{ address: '127.0.0.1', port: httpInboundPort ?? 0, tags: service('backend') }]],
        ['redis', [{ address: '127.0.0.1', port: tcpInboundPort ?? 0, tags: service('redis') }]],
      ]),
    });
    const backendResources = generateProxyResources(await withRealSecrets(backend));
    const webResources = generateProxyResources(await withRealSecrets(web));
    await run(`backend-${name}`, backendResources, backendAdmin ?? 0);
    await run(`web-${name}`, webResources, webAdmin ?? 0);
    return { http: httpOutbound ?? 0, tcp: tcpOutbound ?? 0, inbound: httpInboundPort ?? 0 };
  }

  it('[Allow Mesh]: web reaches backend (HTTP) and redis (TCP) over mTLS', async () => {
    const ports = await pair('allow', [rule('Allow')]);
    assert.deepEqual(await httpGet(ports.http), { status: 200, body: 'hello over mTLS' });
    assert.equal(await tcpExchange(ports.tcp, 'PING\r\n'), 'redis over mTLS');
  });

  it('[]: the HTTP RBAC filter answers 403 and the network RBAC filter closes the connection', async () => {
    const ports = await pair('deny-all', []);
    const res = await httpGet(ports.http);
    assert.equal(res.status, 403);
    assert.match(res.body, /RBAC/);
    assert.equal(await tcpExchange(ports.tcp, 'PING\r\n').catch(() => ''), '');
  });

  it('STRICT refuses a plaintext caller', async () => {
    const ports = await pair('strict-plaintext', [rule('Allow')]);
    await assert.rejects(httpGet(ports.inbound));
  });

  it('PERMISSIVE [Allow Mesh]: web over mTLS and a plaintext caller both get through', async () => {
    const ports = await pair('permissive', [rule('Allow')], 'PERMISSIVE');
    assert.deepEqual(await httpGet(ports.http), { status: 200, body: 'hello over mTLS' });
    assert.deepEqual(await httpGet(ports.inbound), { status: 200, body: 'hello over mTLS' });
  });

  it('PERMISSIVE [Allow web]: web gets through, a plaintext caller (no identity) gets 403', async () => {
    const ports = await pair('permissive-web', [rule('Allow', service('web'))], 'PERMISSIVE');
    assert.deepEqual(await httpGet(ports.http), { status: 200, body: 'hello over mTLS' });
    assert.equal((await httpGet(ports.inbound)).status, 403);
  });

  it('[Deny web, Allow Mesh]: web is denied, by identity', async () => {
    const ports = await pair('deny-web', [rule('Deny', service('web')), rule('Allow')]);
    assert.equal((await httpGet(ports.http)).status, 403);
  });

  it('[Allow web]: web is allowed, by identity', async () => {
    const ports = await pair('allow-web', [rule('Allow', service('web'))]);
    assert.deepEqual(await httpGet(ports.http), { status: 200, body: 'hello over mTLS' });
  });
});
