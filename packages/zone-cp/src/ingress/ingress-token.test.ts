import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createMemoryStore,
  createTokenIssuer,
  isStraitError,
  type ProxyTokenClaims,
  type ResourceStore,
  silentLogger,
  type TokenIssuer,
  type ZoneTokenClaims,
} from '@strait/shared';
import { authenticateIngressStream } from './authenticate-ingress.js';
import { ownZoneTokenIssuer, verifyIngressToken } from './ingress-token.js';

const HOUR_MS = 3_600_000;

/** Asserts that `promise` rejects with a StraitError of `code` naming `field` (when given). */
async function rejectsWith(promise: Promise<unknown>, code: string, field?: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isStraitError(err), String(err));
    assert.equal(err.code, code, err.message);
    if (field !== undefined)
      assert.ok(
        err.violations.some((v) => v.field === field),
        err.message,
      );
    return true;
  });
}

describe('zone ingress tokens', () => {
  let store: ResourceStore;
  let zoneTokens: TokenIssuer<ZoneTokenClaims>;
  let dataplaneTokens: TokenIssuer<ProxyTokenClaims>;

  before(async () => {
    store = createMemoryStore();
    zoneTokens = createTokenIssuer<ZoneTokenClaims>({ store, kind: 'zone', logger: silentLogger() });
    dataplaneTokens = createTokenIssuer<ProxyTokenClaims>({ store, kind: 'dataplane', logger: silentLogger() });
    await store.create({
      type: 'ZoneIngress',
      name: 'zi-1',
      spec: { zone: 'zone-1', networking: { address: '127.0.0.1', port: 10_001 } },
    });
    await store.create({
      type: 'ZoneIngress',
      name: 'zi-remote',
      labels: { 'kuma.io/zone': 'zone-2', 'kuma.io/origin': 'global' },
      spec: { zone: 'zone-2', networking: { address: '10.0.0.2', port: 10_001 } },
    });
  });
  after(() => {
    zoneTokens.close();
    dataplaneTokens.close();
  });

  const issue = (claims: ZoneTokenClaims) => zoneTokens.issue(claims, { validForMs: HOUR_MS });

  it('admits a token of this zone with scope ingress', async () => {
    const claims = await verifyIngressToken(zoneTokens, await issue({ zone: 'zone-1', scope: ['ingress'] }), 'zone-1');
    assert.equal(claims.zone, 'zone-1');
    await authenticateIngressStream(
      { store, zoneTokens, zone: 'zone-1' },
      'zi-1',
      await issue({ zone: 'zone-1', scope: ['cp', 'ingress'] }),
    );
  });

  it('refuses a token without scope ingress (Forbidden, field scope)', async () => {
    await rejectsWith(
      verifyIngressToken(zoneTokens, await issue({ zone: 'zone-1', scope: ['cp'] }), 'zone-1'),
      'Forbidden',
      'scope',
    );
  });

  it("refuses another zone's token (Forbidden, field zone)", async () => {
    await rejectsWith(
      verifyIngressToken(zoneTokens, await issue({ zone: 'zone-2', scope: ['ingress'] }), 'zone-1'),
      'Forbidden',
      'zone',
    );
  });

  it('refuses no token, a dataplane token, a forged and a revoked one (Unauthenticated)', async () => {
    await rejectsWith(verifyIngressToken(zoneTokens, '', 'zone-1'), 'Unauthenticated');
    const dpToken = await dataplaneTokens.issue({ type: 'ingress' }, { validForMs: HOUR_MS });
    await rejectsWith(verifyIngressToken(zoneTokens, dpToken, 'zone-1'), 'Unauthenticated');
    const good = await issue({ zone: 'zone-1', scope: ['ingress'] });
    const [header, payload] = good.split('.');
    await rejectsWith(verifyIngressToken(zoneTokens, `${header}.${payload}.forged`, 'zone-1'), 'Unauthenticated');
    const jti = (JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { jti: string }).jti;
    await zoneTokens.revoke(jti);
    await rejectsWith(verifyIngressToken(zoneTokens, good, 'zone-1'), 'Unauthenticated');
  });

  it('admits an ADS stream only for a registered ingress of this zone', async () => {
    const token = await issue({ zone: 'zone-1', scope: ['ingress'] });
    const auth = { store, zoneTokens, zone: 'zone-1' };
    await rejectsWith(authenticateIngressStream(auth, 'zi-missing', token), 'Unauthenticated');
    await rejectsWith(authenticateIngressStream(auth, 'zi-remote', token), 'Forbidden');
  });

  it('a standalone zone issues zone tokens for its own zone only', async () => {
    const own = ownZoneTokenIssuer(zoneTokens, 'zone-1');
    const token = await own.issue({ zone: 'zone-1', scope: ['ingress'] }, { validForMs: HOUR_MS });
    assert.equal((await verifyIngressToken(own, token, 'zone-1')).zone, 'zone-1');
    await rejectsWith(own.issue({ zone: 'zone-2', scope: ['ingress'] }, { validForMs: HOUR_MS }), 'Invalid', 'zone');
  });
});
