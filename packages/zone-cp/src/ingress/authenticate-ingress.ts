/** Admission of a zone ingress's ADS stream. */

import { type ResourceStore, StraitError, type TokenIssuer, type ZoneTokenClaims } from '@strait/shared';
import { verifyIngressToken } from './ingress-token.js';
import { ingressZoneOf } from './ingress-zone.js';

/** What {@link authenticateIngressStream} needs. */
export interface IngressStreamAuth {
  readonly store: ResourceStore;
  readonly zoneTokens: TokenIssuer<ZoneTokenClaims>;
  readonly zone: string;
}

/**
 * Admits the ADS stream of ingress `name` (node id `ingress/<name>`): the zone token must be
 * valid for this zone with scope `ingress`, and the ZoneIngress must be registered here (by
 * `POST /bootstrap`) for this zone. Throws `Unauthenticated` or `Forbidden` saying why.
 */
export async function authenticateIngressStream(auth: IngressStreamAuth, name: string, token: string): Promise<void> {
  await verifyIngressToken(auth.zoneTokens, token, auth.zone);
  const ingress = await auth.store.get({ type: 'ZoneIngress', name });
  if (ingress === undefined) {
    throw new StraitError(
      'Unauthenticated',
      `ZoneIngress ${name} is not registered (start it with strait zone-ingress run)`,
    );
  }
  if (ingressZoneOf(ingress) !== auth.zone) {
    throw new StraitError(
      'Forbidden',
      `ZoneIngress ${name} belongs to zone "${ingressZoneOf(ingress) ?? ''}", not "${auth.zone}"`,
    );
  }
}
