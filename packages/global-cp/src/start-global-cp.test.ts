import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadCpConfig, silentLogger } from '@strait/shared';
import { type RunningGlobalCp, startGlobalCp } from './start-global-cp.js';

describe('global CP (in-process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strait-global-'));
  let cp: RunningGlobalCp;
  const post = (path: string, body: unknown) =>
    fetch(`http://127.0.0.1:${cp.ports.api}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  before(async () => {
    const env = {
      STRAIT_DATA_DIR: dir,
      STRAIT_STORE_TYPE: 'memory',
      STRAIT_API_HOST: '127.0.0.1',
      STRAIT_API_PORT: '0',
      STRAIT_DIAGNOSTICS_HOST: '127.0.0.1',
      STRAIT_DIAGNOSTICS_PORT: '0',
    };
    cp = await startGlobalCp({ config: loadCpConfig({ role: 'global', env }), logger: silentLogger() });
  });
  after(async () => {
    await cp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('issues zone tokens carrying the zone and scopes', async () => {
    const res = await post('/tokens/zone', { zone: 'zone-1', scope: ['cp'], validFor: '1h' });
    assert.equal(res.status, 200);
    const token = (await res.text()).trim();
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      zone: string;
      scope: string[];
      exp: number;
      iat: number;
    };
    assert.equal(claims.zone, 'zone-1');
    assert.deepEqual(claims.scope, ['cp']);
    assert.equal(claims.exp - claims.iat, 3600);
  });

  it('refuses a bad zone token request, naming the fields', async () => {
    const res = await post('/tokens/zone', { zone: 'Zone_1', scope: ['admin'], validFor: 'soon' });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { invalid_parameters: Array<{ field: string }> };
    assert.deepEqual(body.invalid_parameters.map((p) => p.field).sort(), ['scope', 'validFor', 'zone']);
  });

  it('creates mesh default with its allow-all permission', async () => {
    const res = await fetch(`http://127.0.0.1:${cp.ports.api}/meshes/default/meshtrafficpermissions/allow-all`);
    assert.equal(res.status, 200);
  });

  it('creates the CA of a mesh with builtin mTLS as Secrets, for zones to issue from', async () => {
    const put = await fetch(`http://127.0.0.1:${cp.ports.api}/meshes/secure`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'Mesh',
        name: 'secure',
        mtls: { enabledBackend: 'ca-1', backends: [{ name: 'ca-1', type: 'builtin' }] },
      }),
    });
    assert.equal(put.status, 201);
    const secret = await waitFor200(
      `http://127.0.0.1:${cp.ports.api}/meshes/secure/secrets/secure.ca-builtin-cert-ca-1`,
    );
    assert.match(Buffer.from(secret.data as string, 'base64').toString('utf8'), /BEGIN CERTIFICATE/);
  });
});

async function waitFor200(url: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await fetch(url);
    if (res.status === 200) return (await res.json()) as Record<string, unknown>;
    if (Date.now() > deadline) throw new Error(`${url} never answered 200 (last ${res.status})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
