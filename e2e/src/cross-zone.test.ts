/**
 * Issue 5 end to end: one global CP, two zones, real Envoy in every role, mesh `default` with
 * builtin mTLS. Each zone runs in its own network namespace with no route to the other; the only
 * way from zone-1 into zone-2 is zone-2's ingress, which the test relays from zone-2's root-side
 * address (what the ingress advertises). Steps share state and run in order.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSelfSignedServerCertificate } from '@strait/shared';
import {
  type CallResult,
  call,
  callUntil,
  createZoneNetworks,
  freePort,
  type GlobalCpProcess,
  type NetnsAgent,
  type ProcessHandle,
  type Sidecar,
  startGlobalCpProcess,
  startNetnsAgent,
  startSidecar,
  startTcpForwarder,
  startZoneCpInNetns,
  startZoneIngress,
  type TcpForwarder,
  waitFor,
  type ZoneCpProcess,
  type ZoneIngressProcess,
  type ZoneNetwork,
  type ZoneNetworks,
  zoneCpPorts,
} from './harness/index.js';

type ZoneName = 'zone-1' | 'zone-2';

/** One zone: its namespace, the test's agent inside it, and its CP. */
interface Zone {
  readonly net: ZoneNetwork;
  readonly agent: NetnsAgent;
  readonly cp: ZoneCpProcess;
}

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The answering instance of each of `n` sequential calls (`failed` for a failed call). */
async function instances(url: string, n: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await call(url, 2_000);
    seen.push(r.ok ? r.answer.instance : 'failed');
  }
  return seen;
}

/** Resolves once `n` sequential calls in a row were all answered by `instance`. */
function allFrom(url: string, instance: string, n: number, what: string, timeoutMs: number): Promise<string[]> {
  return waitFor(async () => ((await instances(url, n)).every((i) => i === instance) ? [instance] : undefined), {
    timeoutMs,
    what,
    intervalMs: 50,
  });
}

describe('cross-zone calls through zone ingress (global + 2 zones in network namespaces, real Envoy)', {
  concurrency: false,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'strait-e2e-xz-'));
  const processes: ProcessHandle[] = [];
  const relays: TcpForwarder[] = [];
  let networks: ZoneNetworks;
  let global: GlobalCpProcess;
  let globalCaFile: string;
  const zones = {} as Record<ZoneName, Zone>;
  let web: Sidecar;
  let webUrl: string;
  let backend2: { sidecar: Sidecar; appPort: number };
  let ingress: ZoneIngressProcess;
  /** zone-2's ingress: listens on zone-2's own address; other zones dial the relay on `advertised`. */
  const ingressAt = { port: 0, advertised: { host: '', port: 0 } };

  const globalApi = (method: string, path: string, body?: unknown) =>
    fetch(`${global.api}${path}`, { method, ...(body === undefined ? {} : json(body)) });
  const zoneApi = (zone: ZoneName, method: string, path: string, body?: unknown) =>
    zones[zone].agent.fetch(`${zones[zone].cp.api}${path}`, method, body);

  async function zoneToken(zone: ZoneName, scope: 'cp' | 'ingress'): Promise<string> {
    const res = await globalApi('POST', '/tokens/zone', { zone, scope: [scope] });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.text()).trim();
  }

  async function dataplaneToken(zone: ZoneName, service: string): Promise<string> {
    const res = await zoneApi(zone, 'POST', '/tokens/dataplane', {
      type: 'dataplane',
      mesh: 'default',
      tags: { 'kuma.io/service': [service] },
    });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.text()).trim();
  }

  async function startZone(net: ZoneNetwork): Promise<Zone> {
    const name = net.zone as ZoneName;
    // The zone dials the global at its own link's root-side address, relayed to the global's loopback KDS.
    relays.push(
      await startTcpForwarder({
        listen: { host: net.rootAddress, port: global.ports.kds },
        target: { host: '127.0.0.1', port: global.ports.kds },
      }),
    );
    const tokenFile = join(dir, `${name}.zone-token`);
    writeFileSync(tokenFile, await zoneToken(name, 'cp'), { mode: 0o600 });
    const agent = await startNetnsAgent(net, join(dir, `agent-${name}.log`));
    processes.push(agent.handle);
    const cp = await startZoneCpInNetns(net, `cp-${name}`, join(dir, name), await zoneCpPorts(), {
      STRAIT_GLOBAL_ADDRESS: `grpcs://${net.rootAddress}:${global.ports.kds}`,
      STRAIT_GLOBAL_CA_FILE: globalCaFile,
      STRAIT_ZONE_TOKEN_FILE: tokenFile,
    });
    processes.push(cp.handle);
    return { net, agent, cp };
  }

  /** Starts a backend app and its sidecar in `zone` (the app inside the zone's namespace). */
  async function startBackend(zone: ZoneName): Promise<{ sidecar: Sidecar; appPort: number }> {
    const z = zones[zone];
    const appPort = await z.agent.startApp('backend', zone);
    const sidecar = await startSidecar(dir, z.cp, {
      name: `backend-${zone}`,
      service: 'backend',
      appPort,
      address: z.net.zoneAddress,
      netns: z.net.netns,
      token: await dataplaneToken(zone, 'backend'),
    });
    processes.push(sidecar.handle);
    return { sidecar, appPort };
  }

  async function startIngress(): Promise<ZoneIngressProcess> {
    const z = zones['zone-2'];
    const started = await startZoneIngress(dir, z.cp, {
      name: 'ingress-zone-2',
      token: await zoneToken('zone-2', 'ingress'),
      address: z.net.zoneAddress,
      port: ingressAt.port,
      advertisedAddress: ingressAt.advertised.host,
      advertisedPort: ingressAt.advertised.port,
      netns: z.net.netns,
    });
    processes.push(started.handle);
    return started;
  }

  /** zone-2's namespace-local admin ports, exposed to the test once each. */
  const exposedAdmins = new Map<number, string>();

  /** Sum of the ingress's `downstream_cx_total` over the TCP proxies of `backend` SNIs. */
  async function ingressBackendConnections(): Promise<number> {
    let admin = exposedAdmins.get(ingress.adminPort);
    if (admin === undefined) {
      admin = await zones['zone-2'].agent.expose(ingress.adminPort);
      exposedAdmins.set(ingress.adminPort, admin);
    }
    const res = await fetch(`http://${admin}/stats?format=json&filter=downstream_cx_total`);
    const body = (await res.json()) as { stats: Array<{ name: string; value?: number }> };
    return body.stats
      .filter((s) => s.name.startsWith('tcp.ingress_backend_') && s.name.endsWith('.downstream_cx_total'))
      .reduce((n, s) => n + (s.value ?? 0), 0);
  }

  before(async () => {
    networks = createZoneNetworks(['zone-1', 'zone-2']);
    const [net1, net2] = networks.zones as [ZoneNetwork, ZoneNetwork];
    // zone-1's one way into zone-2: the root-side address where zone-2's ingress is relayed.
    networks.allowRoute(net1, net2.rootAddress);

    // The global's KDS certificate must name the root-side addresses the zones dial.
    const tls = await createSelfSignedServerCertificate({ ips: networks.zones.map((z) => z.rootAddress) });
    const files = { cert: join(dir, 'global.crt'), key: join(dir, 'global.key'), ca: join(dir, 'global-ca.crt') };
    writeFileSync(files.cert, tls.certPem);
    writeFileSync(files.key, tls.keyPem, { mode: 0o600 });
    writeFileSync(files.ca, tls.caPem);
    globalCaFile = files.ca;
    global = await startGlobalCpProcess('global-cp', join(dir, 'global'), undefined, {
      STRAIT_TLS_CERT_FILE: files.cert,
      STRAIT_TLS_KEY_FILE: files.key,
    });
    processes.push(global.handle);
    const mesh = await globalApi('PUT', '/meshes/default', {
      type: 'Mesh',
      name: 'default',
      mtls: { enabledBackend: 'ca-1', backends: [{ name: 'ca-1', type: 'builtin' }] },
    });
    assert.ok([200, 201].includes(mesh.status), await mesh.clone().text());

    const [zone1, zone2] = await Promise.all([startZone(net1), startZone(net2)]);
    zones['zone-1'] = zone1;
    zones['zone-2'] = zone2;
    for (const zone of ['zone-1', 'zone-2'] as const) {
      await waitFor(
        async () => {
          const res = await zoneApi(zone, 'GET', '/meshes/default');
          return (
            res.status === 200 && ((await res.json()) as { mtls?: { enabledBackend?: string } }).mtls?.enabledBackend
          );
        },
        { timeoutMs: 20_000, what: `mesh default with mTLS to reach ${zone}` },
      );
    }

    ingressAt.port = await freePort();
    const ingressRelay = await startTcpForwarder({
      listen: { host: net2.rootAddress, port: 0 },
      target: { host: net2.zoneAddress, port: ingressAt.port },
    });
    relays.push(ingressRelay);
    ingressAt.advertised = { host: net2.rootAddress, port: ingressRelay.port };

    const webApp = await zone1.agent.startApp('web', 'zone-1');
    web = await startSidecar(dir, zone1.cp, {
      name: 'web-zone-1',
      service: 'web',
      appPort: webApp,
      consumes: ['backend'],
      address: net1.zoneAddress,
      // The outbound listens on zone-1's address so the test (root namespace) can call through it.
      outboundAddress: net1.zoneAddress,
      netns: net1.netns,
      token: await dataplaneToken('zone-1', 'web'),
    });
    processes.push(web.handle);
    backend2 = await startBackend('zone-2');
    ingress = await startIngress();
    await Promise.all([
      web.handle.waitForLog('ready'),
      backend2.sidecar.handle.waitForLog('ready'),
      ingress.handle.waitForLog('ready'),
    ]);
    webUrl = `${web.outbound.backend}/hello`;
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.killGroup()));
    await Promise.all(relays.map((r) => r.close()));
    networks?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("zone-1 cannot reach zone-2's sidecar or app; it reaches only zone-2's advertised ingress", async () => {
    const z2 = zones['zone-2'].net;
    const targets = { 'backend sidecar inbound': backend2.sidecar.inboundPort, 'backend app': backend2.appPort };
    for (const [what, port] of Object.entries(targets)) {
      // Control: from inside zone-2 the port is open...
      assert.deepEqual(await zones['zone-2'].agent.probe(z2.zoneAddress, port), { connected: true }, what);
      // ...and from zone-1 there is no way to it.
      const r = await zones['zone-1'].agent.probe(z2.zoneAddress, port);
      assert.equal(r.connected, false, `${what} must be unreachable from zone-1`);
      assert.equal(r.code, 'ENETUNREACH', what);
    }
    const direct = await zones['zone-1'].agent.probe(z2.zoneAddress, ingressAt.port);
    assert.equal(direct.code, 'ENETUNREACH', "zone-2's ingress itself is not reachable, only its advertised relay");
    const advertised = await zones['zone-1'].agent.probe(ingressAt.advertised.host, ingressAt.advertised.port);
    assert.deepEqual(advertised, { connected: true });
  });

  it("web in zone-1 calls backend (only in zone-2) through zone-2's ingress; backend sees spiffe://default/web", async (t) => {
    const before_ = await waitFor(() => ingressBackendConnections().catch(() => undefined), {
      what: "zone-2's ingress admin to answer",
    });
    const r = await callUntil(webUrl, (x) => x.ok, 'web → backend across zones', 45_000);
    assert.ok(r.ok);
    assert.equal(r.answer.service, 'backend');
    assert.equal(r.answer.instance, 'zone-2');
    assert.match(r.answer.xfcc ?? '', /URI=spiffe:\/\/default\/web(;|$)/);
    const after_ = await ingressBackendConnections();
    t.diagnostic(`zone-2 ingress backend connections: ${before_} before, ${after_} after; xfcc ${r.answer.xfcc}`);
    assert.ok(after_ > before_, "the call must have passed zone-2's ingress");

    // The global knows zone-2's ingress and what it offers.
    const res = await globalApi('GET', '/zoneingresses');
    const list = (await res.json()) as {
      items: Array<{ zone?: string; availableServices?: Array<{ tags: Record<string, string> }> }>;
    };
    const zone2 = list.items.find((i) => i.zone === 'zone-2');
    assert.ok(
      zone2?.availableServices?.some((s) => s.tags['kuma.io/service'] === 'backend'),
      JSON.stringify(list),
    );
  });

  it('a MeshTrafficPermission on the global denying web → backend stops the cross-zone call; removing it restores it', async () => {
    const path = '/meshes/default/meshtrafficpermissions/deny-web-to-backend';
    const put = await globalApi('PUT', path, {
      type: 'MeshTrafficPermission',
      mesh: 'default',
      name: 'deny-web-to-backend',
      spec: {
        targetRef: { kind: 'MeshService', name: 'backend' },
        from: [{ targetRef: { kind: 'MeshService', name: 'web' }, default: { action: 'Deny' } }],
      },
    });
    assert.equal(put.status, 201, await put.clone().text());
    const denied = await callUntil(webUrl, (x) => !x.ok, 'the cross-zone call to be denied', 15_000);
    assert.equal((denied as Extract<CallResult, { ok: false }>).status, 403);
    assert.deepEqual(await instances(webUrl, 5), Array(5).fill('failed'));

    assert.equal((await globalApi('DELETE', path)).status, 200);
    await callUntil(webUrl, (x) => x.ok && x.answer.instance === 'zone-2', 'the call to be allowed again', 15_000);
  });

  it("killing zone-2's ingress fails the call cleanly (503, no hang); restarting it restores the call", async (t) => {
    await ingress.handle.killGroup();
    // Every call now ends in a definite answer well before the client's 5 s timeout.
    await callUntil(webUrl, (x) => !x.ok, 'the call to fail without the ingress', 15_000);
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const r = await call(webUrl, 5_000);
      const tookMs = Date.now() - started;
      assert.ok(!r.ok && r.status === 503, `a clean 503, got ${JSON.stringify(r)}`);
      assert.ok(tookMs < 3_000, `the failure took ${tookMs} ms`);
      t.diagnostic(`call without the ingress: ${r.status} after ${tookMs} ms`);
    }
    // Zone-2's CP counts the ingress offline after 5 s and withdraws what it advertised; zone-1
    // learns it over KDS and stops routing to an address nobody answers at.
    const withdrawn = Date.now();
    await waitFor(
      async () => {
        const res = await zoneApi('zone-1', 'GET', '/zoneingresses');
        const list = (await res.json()) as { items: Array<{ zone?: string; availableServices?: unknown[] }> };
        const copy = list.items.find((i) => i.zone === 'zone-2');
        return copy !== undefined && (copy.availableServices ?? []).length === 0 ? true : undefined;
      },
      { what: "zone-1's copy of zone-2's ingress to advertise nothing", timeoutMs: 20_000 },
    );
    t.diagnostic(`zone-1 saw the dead ingress withdrawn ${Date.now() - withdrawn} ms after the calls failed`);
    // No endpoint left anywhere: the outbound keeps its HTTP listener (the protocol is remembered)
    // and answers a clean 503 at once.
    const started = Date.now();
    const noRoute = await call(webUrl, 5_000);
    assert.ok(!noRoute.ok && noRoute.status === 503, `a clean 503, got ${JSON.stringify(noRoute)}`);
    assert.ok(Date.now() - started < 3_000, `the failure took ${Date.now() - started} ms`);

    ingress = await startIngress();
    await ingress.handle.waitForLog('ready');
    await callUntil(webUrl, (x) => x.ok && x.answer.instance === 'zone-2', 'the call through the new ingress', 30_000);
  });

  it('with backend in both zones calls stay in zone-1, fail over to zone-2 within 10 s, and come back', async (t) => {
    let backend1 = await startBackend('zone-1');
    await backend1.sidecar.handle.waitForLog('ready');
    await allFrom(webUrl, 'zone-1', 10, 'calls to prefer the local backend', 15_000);
    assert.deepEqual(await instances(webUrl, 20), Array(20).fill('zone-1'));

    const killedAt = Date.now();
    await Promise.all([backend1.sidecar.handle.killGroup(), zones['zone-1'].agent.stopApp(backend1.appPort)]);
    await allFrom(webUrl, 'zone-2', 5, 'calls to move to zone-2', 10_000);
    const movedMs = Date.now() - killedAt;
    assert.ok(movedMs <= 10_000, `failover took ${movedMs} ms`);
    t.diagnostic(`calls moved to zone-2 ${movedMs} ms after zone-1's backend was killed`);

    backend1 = await startBackend('zone-1');
    await backend1.sidecar.handle.waitForLog('ready');
    await allFrom(webUrl, 'zone-1', 10, 'calls to return to zone-1', 15_000);
    // Leave the rest of the story cross-zone again: a graceful stop deregisters zone-1's backend.
    assert.equal(await backend1.sidecar.handle.kill('SIGTERM'), 0);
    await zones['zone-1'].agent.stopApp(backend1.appPort);
    await allFrom(webUrl, 'zone-2', 5, 'calls to go to zone-2 again', 15_000);
  });

  it('killing the global CP leaves cross-zone traffic working', async () => {
    const seen = Object.fromEntries(
      (['zone-1', 'zone-2'] as const).map((z) => [z, zones[z].cp.handle.lines.length]),
    ) as Record<ZoneName, number>;
    await global.handle.killGroup();
    // Both zones have noticed the global is gone...
    for (const zone of ['zone-1', 'zone-2'] as const) {
      await waitFor(
        () => zones[zone].cp.handle.lines.slice(seen[zone]).some((l) => l.includes('KDS connection to the global')),
        { timeoutMs: 15_000, what: `${zone} to lose the global` },
      );
    }
    // ...and zone-1 still reaches backend in zone-2 through the ingress.
    assert.deepEqual(await instances(webUrl, 10), Array(10).fill('zone-2'));
  });
});
