/**
 * One zone, real processes, real Envoy: a backend behind `strait dp run` with mesh mTLS, and
 * `strait zone-ingress run`. A TLS client standing in for another zone's sidecar presents SNI
 * `backend{mesh=default}` to the ingress and completes its handshake with the backend's own
 * mesh certificate (the ingress passed TLS through untouched) and gets the backend's answer; an
 * unknown SNI is refused. Also: the zone token's scope is enforced, availableServices follow the
 * backend, the insight shows the ingress online, Envoy is restarted when it dies, and SIGTERM
 * drains and deregisters. Steps share state and run in order.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PeerCertificate } from 'node:tls';
import { connect } from 'node:tls';
import { caCertSecretName, caKeySecretName, issueWorkloadCertificate, loadCa } from '@strait/shared';
import {
  freePort,
  type HttpApp,
  type ProcessHandle,
  type Sidecar,
  startHttpApp,
  startSidecar,
  startZoneCpProcess,
  startZoneIngress,
  strait,
  waitFor,
  type ZoneCpProcess,
  type ZoneIngressProcess,
  zoneCpPorts,
} from './harness/index.js';

const BACKEND_SNI = 'backend{mesh=default}';

async function api(cp: ZoneCpProcess, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${cp.api}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

async function issue(cp: ZoneCpProcess, path: string, claims: Record<string, unknown>): Promise<string> {
  const res = await api(cp, 'POST', path, claims);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.text()).trim();
}

/** The client certificate of a `web` sidecar of another zone, from the mesh CA (one trust root per mesh). */
async function meshClientCertificate(cp: ZoneCpProcess): Promise<{ ca: string; cert: string; key: string }> {
  const secret = async (name: string) => {
    const res = await api(cp, 'GET', `/meshes/default/secrets/${name}`);
    assert.equal(res.status, 200, await res.clone().text());
    return Buffer.from(((await res.json()) as { data: string }).data, 'base64').toString('utf8');
  };
  const material = {
    certPem: await secret(caCertSecretName('default', 'ca-1')),
    keyPem: await secret(caKeySecretName('default', 'ca-1')),
  };
  const cert = await issueWorkloadCertificate(await loadCa(material), {
    spiffeId: 'spiffe://default/web',
    validForMs: 3_600_000,
  });
  return { ca: material.certPem, cert: cert.chainPem, key: cert.keyPem };
}

interface ThroughIngress {
  readonly status: number;
  readonly body: string;
  readonly peer: PeerCertificate;
}

/** GET / over mTLS to the ingress with `servername` as SNI; the server certificate is checked against the mesh CA. */
function getThroughIngress(
  port: number,
  servername: string,
  tls: { ca: string; cert: string; key: string },
): Promise<ThroughIngress> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        servername,
        ...tls,
        agent: false,
        timeout: 5_000,
        // The mesh names no host: the identity to check is the SPIFFE ID, below.
        checkServerIdentity: () => undefined,
      },
      (res) => {
        const chunks: Buffer[] = [];
        const peer = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), peer }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** A TLS handshake with `servername` (or none); resolves with how it ended. */
function handshake(port: number, servername: string | undefined): Promise<'established' | string> {
  return new Promise((resolve) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      ...(servername === undefined ? {} : { servername }),
      rejectUnauthorized: false,
      timeout: 5_000,
    });
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve('established');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (err) => resolve(`error: ${err.message}`));
    socket.once('close', () => resolve('closed'));
  });
}

async function ingressStat(adminPort: number, name: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${adminPort}/stats?format=json&filter=${encodeURIComponent(name)}`);
  const stats = ((await res.json()) as { stats: Array<{ name: string; value?: number }> }).stats;
  return stats.find((s) => s.name === name)?.value ?? 0;
}

describe('zone ingress with real Envoy (SNI passthrough, availableServices, tokens)', { concurrency: false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'strait-e2e-ingress-'));
  const processes: ProcessHandle[] = [];
  const apps: HttpApp[] = [];
  let cp: ZoneCpProcess;
  let backend: Sidecar;
  let ingress: ZoneIngressProcess;
  let ingressPort: number;
  let client: { ca: string; cert: string; key: string };

  const zoneIngress = async () =>
    (await (await api(cp, 'GET', '/zoneingresses/zi-1')).json()) as {
      zone?: string;
      availableServices?: Array<{ mesh: string; tags: Record<string, string>; instances: number }>;
    };

  async function startBackend(): Promise<Sidecar> {
    const app = await startHttpApp('backend', 'backend-1');
    apps.push(app);
    const sidecar = await startSidecar(dir, cp, {
      name: 'backend-1',
      service: 'backend',
      appPort: app.port,
      token: await issue(cp, '/tokens/dataplane', {
        type: 'dataplane',
        mesh: 'default',
        tags: { 'kuma.io/service': ['backend'] },
      }),
    });
    processes.push(sidecar.handle);
    await sidecar.handle.waitForLog('ready');
    return sidecar;
  }

  before(async () => {
    cp = await startZoneCpProcess('zone-cp', join(dir, 'cp'), await zoneCpPorts(), { STRAIT_ZONE_NAME: 'zone-1' });
    processes.push(cp.handle);
    const mesh = await api(cp, 'PUT', '/meshes/default', {
      type: 'Mesh',
      name: 'default',
      mtls: { enabledBackend: 'ca-1', backends: [{ name: 'ca-1', type: 'builtin' }] },
    });
    assert.equal(mesh.status, 200, await mesh.clone().text());
    backend = await startBackend();
    client = await waitFor(() => meshClientCertificate(cp).catch(() => undefined), {
      what: 'the mesh CA',
      timeoutMs: 10_000,
    });
    ingressPort = await freePort();
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.killGroup()));
    await Promise.all(apps.map((a) => a.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const ingressSpec = (name: string, token: string) => ({
    name,
    token,
    address: '127.0.0.1',
    port: ingressPort,
    advertisedAddress: '127.0.0.1',
    advertisedPort: ingressPort,
  });

  it('refuses a zone token without scope ingress: exit 1 with the reason, nothing registered', async () => {
    const token = await issue(cp, '/tokens/zone', { zone: 'zone-1', scope: ['cp'] });
    const refused = await startZoneIngress(dir, cp, ingressSpec('zi-refused', token));
    processes.push(refused.handle);
    const line = await refused.handle.waitForLog('bootstrap refused');
    assert.match(String(line.reason), /scope/);
    assert.equal(await refused.handle.exited, 1);
    assert.equal((await api(cp, 'GET', '/zoneingresses/zi-refused')).status, 404);
  });

  it('registers with a zone token of scope ingress and computes availableServices', async () => {
    const token = await issue(cp, '/tokens/zone', { zone: 'zone-1', scope: ['ingress'] });
    ingress = await startZoneIngress(dir, cp, ingressSpec('zi-1', token));
    processes.push(ingress.handle);
    await ingress.handle.waitForLog('ready');
    const zi = await waitFor(
      async () => {
        const z = await zoneIngress();
        return z.availableServices?.length === 1 ? z : undefined;
      },
      { what: 'availableServices of zi-1', timeoutMs: 10_000 },
    );
    assert.equal(zi.zone, 'zone-1');
    assert.deepEqual(zi.availableServices, [
      {
        mesh: 'default',
        tags: { 'kuma.io/protocol': 'http', 'kuma.io/service': 'backend', 'kuma.io/zone': 'zone-1' },
        instances: 1,
      },
    ]);
  });

  it('passes TLS through: SNI backend{mesh=default} reaches the backend, which presents its own mesh certificate', async () => {
    const before = await ingressStat(ingress.adminPort, 'tcp.ingress_backend_mesh_default_.downstream_cx_total');
    const res = await waitFor(() => getThroughIngress(ingressPort, BACKEND_SNI, client).catch(() => undefined), {
      what: 'a call through the ingress',
      timeoutMs: 15_000,
    });
    assert.equal(res.status, 200);
    assert.equal((JSON.parse(res.body) as { service: string }).service, 'backend');
    assert.match(res.peer.subjectaltname ?? '', /URI:spiffe:\/\/default\/backend/);
    const after = await ingressStat(ingress.adminPort, 'tcp.ingress_backend_mesh_default_.downstream_cx_total');
    assert.ok(after > before, `the ingress's backend chain counted the connection (${before} → ${after})`);
  });

  it('refuses an unknown SNI and a ClientHello without SNI', async () => {
    assert.notEqual(await handshake(ingressPort, 'nope{mesh=default}'), 'established');
    assert.notEqual(await handshake(ingressPort, 'backend{mesh=other}'), 'established');
    assert.notEqual(await handshake(ingressPort, undefined), 'established');
    assert.equal(await handshake(ingressPort, BACKEND_SNI), 'established', 'the known SNI still handshakes');
  });

  it('shows the ingress online with its available services (API and strait inspect zoneingresses)', async () => {
    await waitFor(
      async () => {
        const res = await api(cp, 'GET', '/zoneingresses+insights/zi-1');
        const body = (await res.json()) as {
          zoneIngressInsight?: {
            subscriptions?: Array<{
              disconnectTime?: string;
              status?: { total?: { responsesAcknowledged?: number; responsesRejected?: number } };
            }>;
          };
        };
        const last = body.zoneIngressInsight?.subscriptions?.at(-1);
        const acked = Number(last?.status?.total?.responsesAcknowledged ?? 0);
        if (last === undefined || last.disconnectTime !== undefined || acked === 0) return undefined;
        assert.equal(Number(last.status?.total?.responsesRejected ?? 0), 0, 'the ingress never NACKed');
        return true;
      },
      { what: 'an online ZoneIngressInsight with ACKed config', timeoutMs: 10_000 },
    );
    const out = strait(['--api-address', cp.api, 'inspect', 'zoneingresses']);
    assert.equal(out.status, 0, out.stderr);
    const row = out.stdout.split('\n').find((l) => l.startsWith('zi-1'));
    assert.ok(row !== undefined, out.stdout);
    assert.match(row, /online/);
    assert.match(row, /backend:1/);

    // The Envoy config the zone CP generates for it, as the CLI shows it (no certificates in it).
    const config = strait(['--api-address', cp.api, 'inspect', 'zoneingress', 'zi-1', '-o', 'json']);
    assert.equal(config.status, 0, config.stderr);
    const xds = JSON.parse(config.stdout) as {
      listeners: { filterChains: { filterChainMatch?: { serverNames?: string[] } }[] }[];
      secrets: unknown[];
    };
    const snis = xds.listeners.flatMap((l) => l.filterChains.flatMap((c) => c.filterChainMatch?.serverNames ?? []));
    assert.ok(snis.includes('backend{mesh=default}'), JSON.stringify(snis));
    assert.deepEqual(xds.secrets, []);
    const unknown = strait(['--api-address', cp.api, 'inspect', 'zoneingress', 'nope']);
    assert.notEqual(unknown.status, 0);
    assert.match(unknown.stderr, /ZoneIngress nope not found/);
  });

  it('follows the backend: gone → unavailable and refused; back → reachable again', async () => {
    await backend.handle.kill('SIGTERM');
    await waitFor(async () => ((await zoneIngress()).availableServices?.length === 0 ? true : undefined), {
      what: 'availableServices to empty',
      timeoutMs: 10_000,
    });
    await waitFor(async () => ((await handshake(ingressPort, BACKEND_SNI)) !== 'established' ? true : undefined), {
      what: 'the ingress to stop routing backend',
      timeoutMs: 10_000,
    });
    backend = await startBackend();
    const res = await waitFor(() => getThroughIngress(ingressPort, BACKEND_SNI, client).catch(() => undefined), {
      what: 'a call through the ingress after the backend came back',
      timeoutMs: 15_000,
    });
    assert.equal(res.status, 200);
  });

  it('restarts Envoy when it dies', async () => {
    const started = ingress.handle.lines
      .map((l) => {
        try {
          return JSON.parse(l) as { msg?: string; envoyPid?: number };
        } catch {
          return {};
        }
      })
      .filter((l) => l.msg === 'envoy started');
    const envoyPid = started.at(-1)?.envoyPid;
    assert.ok(typeof envoyPid === 'number', 'the ingress logged its Envoy pid');
    process.kill(envoyPid, 'SIGKILL');
    await ingress.handle.waitForLog('envoy started', (l) => l.envoyPid !== envoyPid, 30_000);
    const res = await waitFor(() => getThroughIngress(ingressPort, BACKEND_SNI, client).catch(() => undefined), {
      what: 'traffic through the restarted Envoy',
      timeoutMs: 30_000,
    });
    assert.equal(res.status, 200);
  });

  it('drains and deregisters on SIGTERM (exit 0)', async () => {
    assert.equal(await ingress.handle.kill('SIGTERM'), 0);
    assert.equal((await api(cp, 'GET', '/zoneingresses/zi-1')).status, 404);
  });
});
