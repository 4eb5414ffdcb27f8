/**
 * One zone, real Envoy sidecars run by `strait dp run`, mTLS on: the end-to-end story.
 * Steps share state (processes stay up between them), so they run in order.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type AppAnswer,
  call,
  type HttpApp,
  type ProcessHandle,
  type Sidecar,
  startHttpApp,
  startSidecar,
  startZoneCpProcess,
  strait,
  waitFor,
  type ZoneCpPorts,
  type ZoneCpProcess,
  zoneCpPorts,
} from './harness/index.js';

async function api(cp: ZoneCpProcess, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${cp.api}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

async function token(cp: ZoneCpProcess, claims: Record<string, unknown>): Promise<string> {
  const res = await api(cp, 'POST', '/tokens/dataplane', claims);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.text()).trim();
}

interface Insight {
  name: string;
  dataplaneInsight?: {
    subscriptions?: Array<{ disconnectTime?: string; status?: { total?: { responsesRejected?: number | string } } }>;
  };
}

async function insights(cp: ZoneCpProcess): Promise<Insight[]> {
  const res = await api(cp, 'GET', '/meshes/default/dataplanes+insights?size=1000');
  return ((await res.json()) as { items: Insight[] }).items;
}

function online(i: Insight): boolean {
  const last = i.dataplaneInsight?.subscriptions?.at(-1);
  return last !== undefined && last.disconnectTime === undefined;
}

function rejected(list: Insight[]): number {
  return list
    .flatMap((i) => i.dataplaneInsight?.subscriptions ?? [])
    .reduce((n, s) => n + Number(s.status?.total?.responsesRejected ?? 0), 0);
}

/** Calls `url` until `ok` accepts the result (each poll is one real request through Envoy). */
async function until(
  url: string,
  ok: (r: Awaited<ReturnType<typeof call>>) => boolean,
  what: string,
  timeoutMs = 5_000,
) {
  return waitFor(
    async () => {
      const r = await call(url, 1_000);
      return ok(r) ? r : undefined;
    },
    { timeoutMs, what, intervalMs: 100 },
  );
}

describe('a zone with real Envoy sidecars (mTLS, permissions, EDS, restarts)', { concurrency: false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'strait-e2e-zone-'));
  const processes: ProcessHandle[] = [];
  const apps: HttpApp[] = [];
  let ports: ZoneCpPorts;
  let cp: ZoneCpProcess;
  let web: Sidecar;
  const backends: Sidecar[] = [];
  let backendUrl: string;

  before(async () => {
    ports = await zoneCpPorts();
    cp = await startZoneCpProcess('zone-cp', join(dir, 'cp'), ports);
    processes.push(cp.handle);
    // Builtin mTLS on the default mesh; proxy certificates live 30 s so rotation happens during the run.
    const mesh = await api(cp, 'PUT', '/meshes/default', {
      type: 'Mesh',
      name: 'default',
      mtls: {
        enabledBackend: 'ca-1',
        backends: [{ name: 'ca-1', type: 'builtin', dpCert: { rotation: { expiration: '30s' } } }],
      },
    });
    assert.equal(mesh.status, 200, await mesh.clone().text());
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.killGroup()));
    await Promise.all(apps.map((a) => a.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function startBackend(instance: string): Promise<Sidecar> {
    const app = await startHttpApp('backend', instance);
    apps.push(app);
    const sidecar = await startSidecar(dir, cp, {
      name: `backend-${instance}`,
      service: 'backend',
      appPort: app.port,
      token: await token(cp, { type: 'dataplane', mesh: 'default', tags: { 'kuma.io/service': ['backend'] } }),
    });
    processes.push(sidecar.handle);
    await sidecar.handle.waitForLog('ready');
    return sidecar;
  }

  it('web calls backend through its outbound, and backend sees spiffe://default/web', async () => {
    const webApp = await startHttpApp('web', 'web-1');
    apps.push(webApp);
    web = await startSidecar(dir, cp, {
      name: 'web-1',
      service: 'web',
      appPort: webApp.port,
      consumes: ['backend'],
      token: await token(cp, {
        type: 'dataplane',
        mesh: 'default',
        name: 'web-1',
        tags: { 'kuma.io/service': ['web'] },
      }),
    });
    processes.push(web.handle);
    await web.handle.waitForLog('ready');
    backends.push(await startBackend('1'));
    backendUrl = `${web.outbound.backend}/hello`;
    const r = await until(backendUrl, (x) => x.ok, 'web → backend through the mesh', 15_000);
    assert.ok(r.ok);
    assert.equal(r.answer.service, 'backend');
    assert.match(r.answer.xfcc ?? '', /URI=spiffe:\/\/default\/web/);
  });

  it('strait inspect dataplane shows the generated config (keys redacted) and the matched policies', () => {
    const config = strait(['--api-address', cp.api, 'inspect', 'dataplane', 'web-1', '--type', 'config', '-o', 'json']);
    assert.equal(config.status, 0, config.stderr);
    const xds = JSON.parse(config.stdout) as { listeners: Array<{ name: string }>; secrets: unknown[] };
    assert.ok(xds.listeners.some((l) => l.name.startsWith('outbound:')));
    assert.ok(!config.stdout.includes('PRIVATE KEY'));
    const policies = strait(['--api-address', cp.api, 'inspect', 'dataplane', 'web-1', '--type', 'policies']);
    assert.equal(policies.status, 0, policies.stderr);
    assert.match(policies.stdout, /MeshTrafficPermission/);
    assert.match(policies.stdout, /allow-all/);
  });

  it('deny from web stops the call within 5 s; allowing again restores it within 5 s', async () => {
    assert.equal((await api(cp, 'DELETE', '/meshes/default/meshtrafficpermissions/allow-all')).status, 200);
    const deny = await api(cp, 'PUT', '/meshes/default/meshtrafficpermissions/deny-web', {
      type: 'MeshTrafficPermission',
      mesh: 'default',
      name: 'deny-web',
      spec: {
        targetRef: { kind: 'MeshService', name: 'backend' },
        from: [{ targetRef: { kind: 'MeshService', name: 'web' }, default: { action: 'Deny' } }],
      },
    });
    assert.equal(deny.status, 201);
    const denied = await until(backendUrl, (x) => !x.ok, 'the call to be refused', 5_000);
    assert.ok(!denied.ok && (denied.status === 403 || denied.error !== undefined));

    const allow = await api(cp, 'PUT', '/meshes/default/meshtrafficpermissions/deny-web', {
      type: 'MeshTrafficPermission',
      mesh: 'default',
      name: 'deny-web',
      spec: {
        targetRef: { kind: 'MeshService', name: 'backend' },
        from: [{ targetRef: { kind: 'MeshService', name: 'web' }, default: { action: 'Allow' } }],
      },
    });
    assert.equal(allow.status, 200);
    await until(backendUrl, (x) => x.ok, 'the call to be allowed again', 5_000);
  });

  it('a second backend instance takes calls; stopping its dp removes it from EDS', async () => {
    backends.push(await startBackend('2'));
    const seen = new Set<string>();
    await waitFor(
      async () => {
        const r = await call(backendUrl);
        if (r.ok) seen.add(r.answer.instance);
        return seen.size === 2;
      },
      { timeoutMs: 15_000, what: 'calls to reach both instances', intervalMs: 20 },
    );
    const second = backends.pop() as Sidecar;
    assert.equal(await second.handle.kill('SIGTERM'), 0);
    // After deregistration no call may reach instance 2 (EDS no longer lists it).
    await waitFor(
      async () => {
        const answers: AppAnswer[] = [];
        for (let i = 0; i < 10; i++) {
          const r = await call(backendUrl);
          if (r.ok) answers.push(r.answer);
        }
        return answers.length === 10 && answers.every((a) => a.instance === '1');
      },
      { timeoutMs: 10_000, what: 'instance 2 to leave EDS' },
    );
    const dp = await api(cp, 'GET', '/meshes/default/dataplanes/backend-2');
    assert.equal(dp.status, 404);
  });

  it('rotates proxy certificates before they expire, without breaking traffic', async () => {
    const serials = async (): Promise<string[]> => {
      const res = await fetch(`http://127.0.0.1:${web.adminPort}/certs`);
      const body = (await res.json()) as { certificates: Array<{ cert_chain?: Array<{ serial_number: string }> }> };
      return body.certificates.flatMap((c) => (c.cert_chain ?? []).map((x) => x.serial_number));
    };
    const first = await waitFor(async () => ((await serials()).length > 0 ? serials() : undefined), {
      what: 'web sidecar to hold a certificate',
    });
    // Lifetime 30 s, renewed at 80%: a new certificate within 30 s of the first.
    await waitFor(async () => (await serials()).some((s) => !first.includes(s)), {
      timeoutMs: 35_000,
      intervalMs: 500,
      what: 'the certificate to be rotated',
    });
    assert.ok((await call(backendUrl)).ok);
  });

  it('refuses a forged or wrong-mesh token: clear error, nothing registered', async () => {
    const realToken = await token(cp, { type: 'dataplane', mesh: 'default' });
    const forged = `${realToken.slice(0, realToken.lastIndexOf('.') + 1)}${'A'.repeat(40)}`;
    assert.equal((await api(cp, 'PUT', '/meshes/other', { type: 'Mesh', name: 'other' })).status, 201);
    const wrongMesh = await token(cp, { type: 'dataplane', mesh: 'other' });
    for (const [name, t] of [
      ['forged', forged],
      ['wrongmesh', wrongMesh],
    ] as const) {
      const sidecar = await startSidecar(dir, cp, { name, service: 'intruder', appPort: 1, token: t });
      processes.push(sidecar.handle);
      assert.equal(await sidecar.handle.exited, 1);
      assert.ok(
        sidecar.handle.lines.some((l) => l.includes('bootstrap refused')),
        `${name}: no "bootstrap refused" line in:\n${sidecar.handle.lines.join('\n')}`,
      );
      assert.equal((await api(cp, 'GET', `/meshes/default/dataplanes/${name}`)).status, 404);
    }
  });

  it('traffic survives the zone CP being killed; a restarted CP reconnects every proxy', async () => {
    cp.handle.child.kill('SIGKILL');
    await cp.handle.exited;
    for (let i = 0; i < 5; i++) assert.ok((await call(backendUrl)).ok, 'traffic must flow on the last config');
    cp = await startZoneCpProcess('zone-cp-restarted', join(dir, 'cp'), ports);
    processes.push(cp.handle);
    await waitFor(
      async () => {
        const list = await insights(cp);
        const names = ['web-1', 'backend-1'];
        return names.every((n) => list.some((i) => i.name === n && online(i)));
      },
      { timeoutMs: 30_000, what: 'web-1 and backend-1 to reconnect' },
    );
    await until(backendUrl, (x) => x.ok, 'traffic after the restart', 5_000);
  });

  it('no proxy ever rejected a configuration (insights count no NACKs)', async () => {
    const list = await insights(cp);
    assert.ok(list.length >= 2);
    assert.equal(rejected(list), 0);
  });
});
