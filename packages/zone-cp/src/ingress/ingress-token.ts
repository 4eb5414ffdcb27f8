/**
 * Zone ingresses authenticate with a zone token (not a dataplane token): issued by the global
 * CP (`POST /tokens/zone`, `strait generate zone-token --zone z --scope ingress`) or by a
 * standalone zone CP for itself. The token must be valid (signature, expiry, revocation: the
 * token issuer's job), name this CP's zone and carry scope `ingress`.
 */

import { isStraitError, StraitError, type TokenIssuer, type Violation, type ZoneTokenClaims } from '@strait/shared';

/**
 * Verifies `token` for an ingress of `zone`. Throws `Unauthenticated` for a missing, malformed,
 * forged, expired or revoked token and `Forbidden` (fields named) for one of another zone or
 * without scope `ingress`.
 */
export async function verifyIngressToken(
  tokens: TokenIssuer<ZoneTokenClaims>,
  token: string,
  zone: string,
): Promise<ZoneTokenClaims> {
  if (token === '') {
    throw new StraitError('Unauthenticated', 'no zone token: start the zone ingress with --zone-token-file');
  }
  let claims: ZoneTokenClaims;
  try {
    claims = await tokens.verify(token);
  } catch (err) {
    if (isStraitError(err, 'Unauthenticated')) throw err;
    throw new StraitError('Unauthenticated', `invalid zone token: ${(err as Error).message}`);
  }
  const violations: Violation[] = [];
  if (claims.zone !== zone) {
    violations.push({ field: 'zone', reason: `token is for zone "${String(claims.zone)}", not "${zone}"` });
  }
  if (!Array.isArray(claims.scope) || !claims.scope.includes('ingress')) {
    const scope = Array.isArray(claims.scope) ? claims.scope.join(',') : '';
    violations.push({ field: 'scope', reason: `token has scope "${scope}", an ingress needs scope ingress` });
  }
  if (violations.length > 0) {
    const list = violations.map((v) => `${v.field}: ${v.reason}`).join('; ');
    throw new StraitError('Forbidden', `the zone token does not admit this ingress: ${list}`, { violations });
  }
  return claims;
}

/**
 * The zone-token issuer a standalone zone CP serves `POST /tokens/zone` with: it issues only
 * for its own zone (a federated zone gets its zone tokens from the global).
 */
export function ownZoneTokenIssuer(tokens: TokenIssuer<ZoneTokenClaims>, zone: string): TokenIssuer<ZoneTokenClaims> {
  return Object.freeze({
    verify: (token: string) => tokens.verify(token),
    revoke: (jti: string) => tokens.revoke(jti),
    rotateSigningKey: () => tokens.rotateSigningKey(),
    close: () => tokens.close(),
    issue(claims: ZoneTokenClaims, options: { validForMs: number }): Promise<string> {
      if (claims.zone !== zone) {
        return Promise.reject(
          new StraitError('Invalid', `this zone CP issues zone tokens for zone "${zone}" only`, {
            violations: [{ field: 'zone', reason: `must be "${zone}" (the zone of this CP)` }],
          }),
        );
      }
      return tokens.issue(claims, options);
    },
  });
}
