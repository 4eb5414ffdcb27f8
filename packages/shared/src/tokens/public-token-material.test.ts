import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { isStraitError } from '../errors/strait-error.js';
import { silentLogger } from '../logging/logger.js';
import type { Resource } from '../model/resource.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { ResourceStore } from '../store/store.js';
import { isPrivateTokenMaterial, publicTokenMaterial } from './public-token-material.js';
import { createTokenIssuer, type TokenIssuer } from './token-issuer.js';

const HOUR_MS = 3600_000;
const closers: Array<() => unknown> = [];
after(async () => {
  for (const close of closers) await close();
});

function issuerOn(store: ResourceStore, nowMs?: () => number): TokenIssuer {
  const issuer = createTokenIssuer({
    store,
    kind: 'dataplane',
    logger: silentLogger(),
    ...(nowMs === undefined ? {} : { nowMs }),
  });
  closers.push(() => issuer.close());
  return issuer;
}

function pemOf(r: Resource | undefined): string {
  assert.ok(r !== undefined, 'the GlobalSecret exists');
  return Buffer.from((r.spec as { data: string }).data, 'base64').toString('utf8');
}

/**
 * What KDS does for a zone: copies each GlobalSecret of the global, in the form that may leave
 * it, into the zone's store (labelled as the global's copy).
 */
async function syncTokenMaterial(global: ResourceStore, zone: ResourceStore): Promise<void> {
  for (const secret of (await global.list({ type: 'GlobalSecret' })).items) {
    const sent = publicTokenMaterial(secret);
    if (sent === undefined) continue;
    const input = {
      type: 'GlobalSecret',
      name: sent.meta.name,
      labels: { 'kuma.io/origin': 'global' },
      spec: sent.spec,
    };
    if ((await zone.get({ type: 'GlobalSecret', name: sent.meta.name })) === undefined) await zone.create(input);
    else await zone.update(input);
  }
}

async function assertUnauthenticated(promise: Promise<unknown>, reason: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => isStraitError(err, 'Unauthenticated') && reason.test(err.message));
}

describe('publicTokenMaterial', () => {
  it('turns a private signing key into its public key and leaves everything else alone', async () => {
    const store = createMemoryStore();
    await issuerOn(store).issue({ type: 'dataplane' }, { validForMs: HOUR_MS });
    const key = await store.get({ type: 'GlobalSecret', name: 'dataplane-token-signing-key-1' });
    assert.ok(key !== undefined);
    assert.equal(isPrivateTokenMaterial('GlobalSecret', key.meta.name), true);

    const sent = publicTokenMaterial(key);
    assert.equal(sent?.meta.name, 'dataplane-token-signing-public-key-1');
    assert.match(pemOf(sent), /^-----BEGIN PUBLIC KEY-----/);
    assert.doesNotMatch(pemOf(sent), /PRIVATE/);
    assert.equal(isPrivateTokenMaterial('GlobalSecret', sent?.meta.name ?? ''), false);
    assert.equal(publicTokenMaterial(key), sent, 'derived once per stored object');

    const other = { ...key, meta: { ...key.meta, name: 'dataplane-token-revocations' } };
    assert.equal(publicTokenMaterial(other), other);
    const secret = { ...key, type: 'Secret', meta: { ...key.meta, mesh: 'default' } };
    assert.equal(publicTokenMaterial(secret), secret, 'only GlobalSecrets hold token keys');
    const unreadable = { ...key, spec: { data: Buffer.from('not a key').toString('base64') } };
    assert.equal(publicTokenMaterial(unreadable), undefined, 'an unreadable key is withheld, not sent as is');
  });
});

describe('a zone verifying the global’s tokens with public keys only', () => {
  it('verifies global-issued tokens, signs its own with a local key, and never holds the global’s private key', async () => {
    const global = createMemoryStore();
    const zone = createMemoryStore();
    const globalIssuer = issuerOn(global);
    const fromGlobal = await globalIssuer.issue({ type: 'dataplane', mesh: 'default' }, { validForMs: HOUR_MS });
    await syncTokenMaterial(global, zone);

    const zoneIssuer = issuerOn(zone);
    assert.equal((await zoneIssuer.verify(fromGlobal)).mesh, 'default');

    const fromZone = await zoneIssuer.issue({ type: 'dataplane', mesh: 'default' }, { validForMs: HOUR_MS });
    // Both key sets start at serial 1: the same kid names one key of each.
    assert.equal(decodeProtectedHeader(fromZone).kid, decodeProtectedHeader(fromGlobal).kid);
    assert.equal((await zoneIssuer.verify(fromZone)).mesh, 'default');
    assert.equal((await zoneIssuer.verify(fromGlobal)).mesh, 'default', 'still, with a local key of the same kid');
    await assertUnauthenticated(globalIssuer.verify(fromZone), /invalid signature/);

    const globalKey = pemOf(await global.get({ type: 'GlobalSecret', name: 'dataplane-token-signing-key-1' }));
    const zoneKey = pemOf(await zone.get({ type: 'GlobalSecret', name: 'dataplane-token-signing-key-1' }));
    assert.notEqual(zoneKey, globalKey, 'the zone signs with a key of its own');
    for (const secret of (await zone.list({ type: 'GlobalSecret' })).items) {
      assert.notEqual(pemOf(secret), globalKey, `${secret.meta.name} must not be the global's private key`);
    }
  });

  it('follows the global’s rotation and revocations, and refuses its expired tokens', async () => {
    let now = Date.now();
    const global = createMemoryStore();
    const zone = createMemoryStore();
    const globalIssuer = issuerOn(global, () => now);
    const zoneIssuer = issuerOn(zone, () => now);
    const first = await globalIssuer.issue({ type: 'dataplane' }, { validForMs: HOUR_MS });
    await globalIssuer.rotateSigningKey();
    const second = await globalIssuer.issue({ type: 'dataplane' }, { validForMs: HOUR_MS });
    assert.equal(decodeProtectedHeader(second).kid, '2');
    await syncTokenMaterial(global, zone);
    await zoneIssuer.verify(first);
    await zoneIssuer.verify(second);

    await globalIssuer.revoke((await globalIssuer.verify(first)).jti);
    await syncTokenMaterial(global, zone);
    await assertUnauthenticated(zoneIssuer.verify(first), /token revoked/);
    await zoneIssuer.verify(second);

    now += 2 * HOUR_MS;
    await assertUnauthenticated(zoneIssuer.verify(second), /token expired/);
  });

  it('refuses a token whose kid names a public key that did not sign it', async () => {
    const global = createMemoryStore();
    const zone = createMemoryStore();
    await issuerOn(global).issue({ type: 'dataplane' }, { validForMs: HOUR_MS });
    await syncTokenMaterial(global, zone);
    const forged = await issuerOn(createMemoryStore()).issue({ type: 'dataplane' }, { validForMs: HOUR_MS });
    await assertUnauthenticated(issuerOn(zone).verify(forged), /invalid signature/);
  });
});
