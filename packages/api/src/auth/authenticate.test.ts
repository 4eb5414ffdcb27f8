import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createMemoryStore, createTokenIssuer, silentLogger, type TokenIssuer } from '@strait/shared';
import { startTestApi, type TestApi } from '../testing/test-api.js';

const HOUR_MS = 3600_000;
const MESH = { type: 'Mesh', name: 'm1' };
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

function assertProblem(res: { status: number; headers: Headers; body: Record<string, unknown> }, status: number): void {
  assert.equal(res.status, status);
  assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(res.body.status, status);
  for (const field of ['type', 'title', 'detail', 'instance']) assert.equal(typeof res.body[field], 'string', field);
}

describe('API authentication (localhost is not admin)', () => {
  const store = createMemoryStore();
  let tokens: TokenIssuer;
  let t: TestApi;
  let admin: string;
  let reader: string;
  before(async () => {
    tokens = createTokenIssuer({ store, kind: 'user', logger: silentLogger() });
    t = await startTestApi({ store, auth: { tokens, localhostIsAdmin: false } });
    admin = await tokens.issue({ name: 'admin', groups: ['mesh-system:admin'] }, { validForMs: HOUR_MS });
    reader = await tokens.issue({ name: 'reader', groups: ['team-a'] }, { validForMs: HOUR_MS });
  });
  after(async () => {
    await t.close();
    tokens.close();
    await store.close();
  });

  it('refuses a request without a token (401 with an error body)', async () => {
    assertProblem(await t.request('GET', '/meshes'), 401);
    assertProblem(await t.request('PUT', '/meshes/m1', { body: MESH }), 401);
    assert.equal(await store.get({ type: 'Mesh', name: 'm1' }), undefined);
  });

  it('lets a valid admin token read and write', async () => {
    assert.equal((await t.request('PUT', '/meshes/m1', { body: MESH, headers: bearer(admin) })).status, 201);
    assert.equal((await t.request('GET', '/meshes/m1', { headers: bearer(admin) })).status, 200);
    assert.equal((await t.request('GET', '/meshes', { headers: bearer(admin) })).status, 200);
  });

  it('lets a non-admin token read but not write (403)', async () => {
    assert.equal((await t.request('GET', '/meshes', { headers: bearer(reader) })).status, 200);
    assertProblem(
      await t.request('PUT', '/meshes/m2', { body: { type: 'Mesh', name: 'm2' }, headers: bearer(reader) }),
      403,
    );
    assertProblem(await t.request('DELETE', '/meshes/m1', { headers: bearer(reader) }), 403);
  });

  it('refuses a forged token signed by another key', async () => {
    // An RS256 JWT with a valid shape and kid, signed by a key the server never saw.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = Math.floor(Date.now() / 1000);
    const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims = { name: 'mallory', groups: ['mesh-system:admin'], jti: 'forged-1', iat: now, exp: now + 3600 };
    const signed = `${part({ alg: 'RS256', kid: '1', typ: 'JWT' })}.${part(claims)}`;
    const forged = `${signed}.${sign('sha256', Buffer.from(signed), privateKey).toString('base64url')}`;
    assertProblem(await t.request('GET', '/meshes', { headers: bearer(forged) }), 401);
    assertProblem(await t.request('GET', '/meshes', { headers: bearer('garbage') }), 401);
  });

  it('refuses a revoked token', async () => {
    const token = await tokens.issue({ name: 'leaver', groups: ['mesh-system:admin'] }, { validForMs: HOUR_MS });
    assert.equal((await t.request('GET', '/meshes', { headers: bearer(token) })).status, 200);
    await tokens.revoke((await tokens.verify(token)).jti);
    assertProblem(await t.request('GET', '/meshes', { headers: bearer(token) }), 401);
  });

  it('refuses an expired token', async () => {
    const past = createTokenIssuer({ store, kind: 'user', logger: silentLogger(), nowMs: () => Date.now() - HOUR_MS });
    const expired = await past.issue({ name: 'old', groups: ['mesh-system:admin'] }, { validForMs: 60_000 });
    past.close();
    assertProblem(await t.request('GET', '/meshes', { headers: bearer(expired) }), 401);
  });

  it('refuses other authorization schemes', async () => {
    assertProblem(await t.request('GET', '/meshes', { headers: { authorization: 'Basic YTpi' } }), 401);
  });

  it('serves / and the OpenAPI document without a token', async () => {
    assert.equal((await t.request('GET', '/')).status, 200);
    assert.equal((await t.request('GET', '/openapi.json')).status, 200);
    assert.equal((await t.request('GET', '/openapi.yaml')).status, 200);
  });
});

describe('API authentication (localhost is admin, the default)', () => {
  const store = createMemoryStore();
  let tokens: TokenIssuer;
  let t: TestApi;
  before(async () => {
    tokens = createTokenIssuer({ store, kind: 'user', logger: silentLogger() });
    t = await startTestApi({ store, auth: { tokens } });
  });
  after(async () => {
    await t.close();
    tokens.close();
    await store.close();
  });

  it('treats a direct loopback caller without a token as admin', async () => {
    assert.equal((await t.request('PUT', '/meshes/m1', { body: MESH })).status, 201);
  });

  it('still refuses a bad token from loopback', async () => {
    assertProblem(await t.request('GET', '/meshes', { headers: bearer('not.a.token') }), 401);
  });

  it('does not trust loopback requests that came through a proxy', async () => {
    assertProblem(await t.request('GET', '/meshes', { headers: { 'x-forwarded-for': '203.0.113.7' } }), 401);
  });

  it('keeps secrets admin-only for non-admin identities', async () => {
    const reader = await tokens.issue({ name: 'reader', groups: [] }, { validForMs: HOUR_MS });
    const secretTypes = ['GlobalSecret', 'Secret'].filter((n) => t.registry.byName(n) !== undefined);
    for (const type of secretTypes) {
      const d = t.registry.require(type);
      const path = d.scope === 'mesh' ? `/meshes/m1/${d.plural}` : `/${d.plural}`;
      assertProblem(await t.request('GET', path, { headers: bearer(reader) }), 403);
      assert.equal((await t.request('GET', path)).status, 200);
    }
  });
});
