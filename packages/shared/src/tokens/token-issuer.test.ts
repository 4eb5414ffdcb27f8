import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader, importPKCS8, SignJWT } from 'jose';
import { isStraitError } from '../errors/strait-error.js';
import { silentLogger } from '../logging/logger.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { ResourceStore } from '../store/store.js';
import { decodeRevocations, encodeRevocations } from './revocation-list.js';
import { createTokenIssuer, type TokenIssuer } from './token-issuer.js';

const HOUR_MS = 3600_000;
const closers: Array<() => unknown> = [];
after(async () => {
  for (const close of closers) await close();
});

function setup(nowMs?: () => number): { store: ResourceStore; issuer: TokenIssuer } {
  const store = createMemoryStore();
  const issuer = createTokenIssuer({
    store,
    kind: 'user',
    logger: silentLogger(),
    ...(nowMs === undefined ? {} : { nowMs }),
  });
  closers.push(
    () => issuer.close(),
    () => store.close(),
  );
  return { store, issuer };
}

async function assertUnauthenticated(promise: Promise<unknown>, reason: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isStraitError(err, 'Unauthenticated'), `expected Unauthenticated, got ${String(err)}`);
    assert.match(err.message, reason);
    return true;
  });
}

describe('createTokenIssuer', () => {
  it('issues a token that verifies, with jti, kid and the caller claims', async () => {
    const { store, issuer } = setup();
    const token = await issuer.issue({ name: 'alice', groups: ['team-a'] }, { validForMs: HOUR_MS });
    const claims = await issuer.verify(token);
    assert.equal(claims.name, 'alice');
    assert.deepEqual(claims.groups, ['team-a']);
    assert.equal(typeof claims.jti, 'string');
    assert.equal(claims.exp - claims.iat, 3600);
    const header = decodeProtectedHeader(token);
    assert.equal(header.kid, '1');
    assert.equal(header.alg, 'RS256');
    // the key was created on first use, as a GlobalSecret holding a base64 PEM
    const secret = await store.get({ type: 'GlobalSecret', name: 'user-token-signing-key-1' });
    assert.ok(secret !== undefined);
    const pem = Buffer.from((secret.spec as { data: string }).data, 'base64').toString('utf8');
    assert.match(pem, /^-----BEGIN RSA PRIVATE KEY-----/);
  });

  it('gives every token its own jti', async () => {
    const { issuer } = setup();
    const [a, b] = await Promise.all([
      issuer.issue({ name: 'a' }, { validForMs: HOUR_MS }),
      issuer.issue({ name: 'a' }, { validForMs: HOUR_MS }),
    ]);
    assert.notEqual(decodeJwt(a).jti, decodeJwt(b).jti);
  });

  it('signs with the new key after rotation, and old tokens still verify', async () => {
    const { issuer } = setup();
    const old = await issuer.issue({ name: 'bob' }, { validForMs: HOUR_MS });
    assert.deepEqual(await issuer.rotateSigningKey(), { serial: 2 });
    const fresh = await issuer.issue({ name: 'bob' }, { validForMs: HOUR_MS });
    assert.equal(decodeProtectedHeader(fresh).kid, '2');
    assert.equal((await issuer.verify(old)).name, 'bob');
    assert.equal((await issuer.verify(fresh)).name, 'bob');
  });

  it('stops verifying tokens of a removed key (store change event)', async () => {
    const { store, issuer } = setup();
    const old = await issuer.issue({ name: 'bob' }, { validForMs: HOUR_MS });
    await issuer.rotateSigningKey();
    await store.delete({ type: 'GlobalSecret', name: 'user-token-signing-key-1' });
    await assertUnauthenticated(issuer.verify(old), /unknown signing key/);
  });

  it('sees keys another issuer (another replica) creates', async () => {
    const { store, issuer } = setup();
    const other = createTokenIssuer({ store, kind: 'user', logger: silentLogger() });
    closers.push(() => other.close());
    await issuer.verify(await issuer.issue({ name: 'x' }, { validForMs: HOUR_MS })); // loads the cache
    await other.rotateSigningKey();
    const token = await other.issue({ name: 'carol' }, { validForMs: HOUR_MS });
    assert.equal(decodeProtectedHeader(token).kid, '2');
    await waitFor(async () => (await issuer.verify(token).catch(() => undefined)) !== undefined);
  });

  it('refuses a revoked token, and keeps the list in the revocations GlobalSecret', async () => {
    const { store, issuer } = setup();
    const token = await issuer.issue({ name: 'dave' }, { validForMs: HOUR_MS });
    const other = await issuer.issue({ name: 'erin' }, { validForMs: HOUR_MS });
    const { jti } = await issuer.verify(token);
    await issuer.revoke(jti);
    await issuer.revoke(jti); // idempotent
    await assertUnauthenticated(issuer.verify(token), /revoked/);
    assert.equal((await issuer.verify(other)).name, 'erin');
    const secret = await store.get({ type: 'GlobalSecret', name: 'user-token-revocations' });
    assert.ok(secret !== undefined);
    assert.deepEqual([...decodeRevocations((secret.spec as { data: string }).data)], [jti]);
  });

  it('reads a Kuma-style comma-separated revocation list written by someone else', async () => {
    const { store, issuer } = setup();
    const token = await issuer.issue({ name: 'frank' }, { validForMs: HOUR_MS });
    const { jti } = await issuer.verify(token);
    const data = Buffer.from(`other-id,${jti}`, 'utf8').toString('base64');
    await store.create({ type: 'GlobalSecret', name: 'user-token-revocations', spec: { data } });
    await waitFor(async () => (await issuer.verify(token).catch(() => 'revoked')) === 'revoked');
    assert.deepEqual([...decodeRevocations(encodeRevocations(['a', 'b']))], ['a', 'b']);
  });

  it('refuses a token signed by another key with the same kid (forged)', async () => {
    const { issuer } = setup();
    await issuer.issue({ name: 'seed' }, { validForMs: HOUR_MS }); // key 1 exists
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forgerKey = await importPKCS8(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'RS256');
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ name: 'mallory', groups: ['mesh-system:admin'] })
      .setProtectedHeader({ alg: 'RS256', kid: '1' })
      .setJti('forged')
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(forgerKey);
    await assertUnauthenticated(issuer.verify(forged), /invalid signature/);
  });

  it('refuses tampered, malformed and unsigned tokens', async () => {
    const { issuer } = setup();
    const token = await issuer.issue({ name: 'gina', groups: [] }, { validForMs: HOUR_MS });
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(token), groups: ['mesh-system:admin'] })).toString(
      'base64url',
    );
    await assertUnauthenticated(issuer.verify(`${header}.${payload}.${signature}`), /invalid signature/);
    await assertUnauthenticated(issuer.verify('not-a-token'), /malformed/);
    const none = `${Buffer.from('{"alg":"none","kid":"1"}').toString('base64url')}.${payload}.`;
    await assertUnauthenticated(issuer.verify(none), /./);
  });

  it('refuses an expired token', async () => {
    let now = Date.now();
    const { issuer } = setup(() => now);
    const token = await issuer.issue({ name: 'hank' }, { validForMs: 1000 });
    now += 5000;
    await assertUnauthenticated(issuer.verify(token), /expired/);
  });

  it('keeps kinds apart: a token of one kind does not verify as another', async () => {
    const { store, issuer } = setup();
    const zones = createTokenIssuer({ store, kind: 'zone', logger: silentLogger() });
    closers.push(() => zones.close());
    const zoneToken = await zones.issue({ zone: 'zone-1' }, { validForMs: HOUR_MS });
    await issuer.issue({ name: 'seed' }, { validForMs: HOUR_MS });
    await assertUnauthenticated(issuer.verify(zoneToken), /invalid signature/);
  });

  it('validates its inputs', async () => {
    const { store, issuer } = setup();
    assert.throws(
      () => createTokenIssuer({ store, kind: 'Bad Kind', logger: silentLogger() }),
      (err: unknown) => isStraitError(err, 'Invalid'),
    );
    await assert.rejects(issuer.issue({}, { validForMs: 0 }), (err: unknown) => isStraitError(err, 'Invalid'));
    await assert.rejects(issuer.revoke(''), (err: unknown) => isStraitError(err, 'Invalid'));
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
