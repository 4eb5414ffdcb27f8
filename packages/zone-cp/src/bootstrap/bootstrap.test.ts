import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeRevocations, loadCpConfig, revocationsName, silentLogger } from '@strait/shared';
import { type RunningZoneCp, startZoneCp } from '../start-zone-cp.js';

/** POSTs JSON over HTTP/1.1 (what `strait dp run` speaks) to the zone CP's xDS port. */
function post(
  port: number,
  ca: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        ca,
        servername: 'localhost',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const dataplane = (name: string, service: string) => ({
  type: 'Dataplane',
  mesh: 'default',
  name,
  networking: {
    address: '127.0.0.1',
    inbound: [{ port: 10_001, servicePort: 10_000, tags: { 'kuma.io/service': service } }],
  },
});

describe('zone CP bootstrap endpoint (in-process, real TLS)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strait-bootstrap-'));
  let cp: RunningZoneCp;
  let ca: string;
  const api = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${cp.ports.api}${path}`, init);
  const issue = async (claims: unknown) =>
    (
      await (
        await api('/tokens/dataplane', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(claims),
        })
      ).text()
    ).trim();

  before(async () => {
    const config = loadCpConfig({
      role: 'zone',
      env: {
        STRAIT_DATA_DIR: dir,
        STRAIT_STORE_TYPE: 'memory',
        STRAIT_API_HOST: '127.0.0.1',
        STRAIT_API_PORT: '0',
        STRAIT_DIAGNOSTICS_HOST: '127.0.0.1',
        STRAIT_DIAGNOSTICS_PORT: '0',
        STRAIT_XDS_HOST: '127.0.0.1',
        STRAIT_XDS_PORT: '0',
        STRAIT_ZONE_NAME: 'zone-1',
      },
    });
    cp = await startZoneCp({ config, logger: silentLogger() });
    ca = readFileSync(cp.caFile ?? '', 'utf8');
  });
  after(async () => {
    await cp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers the Dataplane and answers a bootstrap with the ADS cluster and token', async () => {
    const token = await issue({
      type: 'dataplane',
      mesh: 'default',
      name: 'web-1',
      tags: { 'kuma.io/service': ['web'] },
    });
    const res = await post(cp.ports.xds, ca, '/bootstrap', {
      proxyType: 'dataplane',
      token,
      resource: dataplane('web-1', 'web'),
    });
    assert.equal(res.status, 200);
    const bootstrap = JSON.stringify(res.body.bootstrap);
    assert.match(bootstrap, /"id":"default\.web-1"/);
    assert.ok(bootstrap.includes(`Bearer ${token}`));
    assert.equal((await api('/meshes/default/dataplanes/web-1')).status, 200);
  });

  it('refuses a token for other tags (403, field named) and registers nothing', async () => {
    const token = await issue({ type: 'dataplane', mesh: 'default', tags: { 'kuma.io/service': ['web'] } });
    const res = await post(cp.ports.xds, ca, '/bootstrap', {
      proxyType: 'dataplane',
      token,
      resource: dataplane('db-1', 'db'),
    });
    assert.equal(res.status, 403);
    assert.ok(JSON.stringify(res.body).includes('kuma.io/service'));
    assert.equal((await api('/meshes/default/dataplanes/db-1')).status, 404);
  });

  it('refuses a revoked token (401) once its id is in the revocation list', async () => {
    const token = await issue({ type: 'dataplane', mesh: 'default' });
    const jti = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti: string })
      .jti;
    const name = revocationsName('dataplane');
    const put = await api(`/global-secrets/${name}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'GlobalSecret', name, data: encodeRevocations([jti]) }),
    });
    assert.equal(put.status, 201);
    const res = await post(cp.ports.xds, ca, '/bootstrap', {
      proxyType: 'dataplane',
      token,
      resource: dataplane('api-1', 'api'),
    });
    assert.equal(res.status, 401);
    assert.equal((await api('/meshes/default/dataplanes/api-1')).status, 404);
  });

  it('refuses an invalid Dataplane with the field named (400)', async () => {
    const token = await issue({ type: 'dataplane', mesh: 'default' });
    const bad = { ...dataplane('bad-1', 'web'), networking: { inbound: [{ port: 10_001, tags: {} }] } };
    const res = await post(cp.ports.xds, ca, '/bootstrap', { proxyType: 'dataplane', token, resource: bad });
    assert.equal(res.status, 400);
    const fields = (res.body.invalid_parameters as Array<{ field: string }>).map((p) => p.field);
    assert.ok(fields.includes('networking.address'), fields.join(', '));
  });
  describe('zone ingresses (zone tokens)', () => {
    const zoneToken = async (claims: unknown) => {
      const res = await api('/tokens/zone', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(claims),
      });
      return { status: res.status, token: (await res.text()).trim() };
    };
    const ingress = (name: string) => ({
      type: 'ZoneIngress',
      name,
      networking: { address: '127.0.0.1', port: 10_001, advertisedAddress: '127.0.0.1', advertisedPort: 10_001 },
    });
    const stored = async (name: string) =>
      (await (await api(`/zoneingresses/${name}`)).json()) as { zone?: string; availableServices?: unknown[] };

    it('registers with a zone token of scope ingress; the CP sets the zone and keeps availableServices', async () => {
      const { status, token } = await zoneToken({ zone: 'zone-1', scope: ['ingress'] });
      assert.equal(status, 200);
      const res = await post(cp.ports.xds, ca, '/bootstrap', {
        proxyType: 'ingress',
        token,
        resource: ingress('zi-1'),
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.match(JSON.stringify(res.body.bootstrap), /"id":"ingress\/zi-1"/);
      assert.equal((await stored('zi-1')).zone, 'zone-1');
      // web-1 (registered above) becomes available through the ingress once the CP computed it.
      const deadline = Date.now() + 10_000;
      while (((await stored('zi-1')).availableServices ?? []).length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const computed = (await stored('zi-1')).availableServices;
      assert.ok((computed ?? []).length > 0, 'availableServices computed');
      const again = await post(cp.ports.xds, ca, '/bootstrap', {
        proxyType: 'ingress',
        token,
        resource: ingress('zi-1'),
      });
      assert.equal(again.status, 200);
      assert.deepEqual((await stored('zi-1')).availableServices, computed, 're-registering keeps availableServices');
      const gone = await post(cp.ports.xds, ca, '/deregister', { proxyType: 'ingress', token, name: 'zi-1' });
      assert.equal(gone.status, 200);
      assert.equal((await api('/zoneingresses/zi-1')).status, 404);
    });

    it('refuses a token without scope ingress (403, scope named) and registers nothing', async () => {
      const { token } = await zoneToken({ zone: 'zone-1', scope: ['cp'] });
      const res = await post(cp.ports.xds, ca, '/bootstrap', {
        proxyType: 'ingress',
        token,
        resource: ingress('zi-2'),
      });
      assert.equal(res.status, 403);
      assert.match(String(res.body.detail), /scope ingress/);
      assert.equal((await api('/zoneingresses/zi-2')).status, 404);
    });

    it('refuses a dataplane token and no token (401); issues zone tokens for its own zone only (400)', async () => {
      const dpToken = await issue({ type: 'ingress' });
      const res = await post(cp.ports.xds, ca, '/bootstrap', {
        proxyType: 'ingress',
        token: dpToken,
        resource: ingress('zi-3'),
      });
      assert.equal(res.status, 401);
      const none = await post(cp.ports.xds, ca, '/bootstrap', { proxyType: 'ingress', resource: ingress('zi-3') });
      assert.equal(none.status, 401);
      assert.equal((await api('/zoneingresses/zi-3')).status, 404);
      assert.equal((await zoneToken({ zone: 'zone-2', scope: ['ingress'] })).status, 400);
    });
  });
});
