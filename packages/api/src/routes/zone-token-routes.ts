import {
  parseDuration,
  StraitError,
  type TokenIssuer,
  type Violation,
  ZONE_TOKEN_SCOPES,
  type ZoneTokenClaims,
  type ZoneTokenScope,
} from '@strait/shared';
import type { FastifyInstance } from 'fastify';
import { invalidInput } from '../errors/http-errors.js';

/** Default lifetime of a zone token when the request names none. */
export const DEFAULT_ZONE_TOKEN_VALID_FOR = '8760h';

const ZONE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function parseZoneTokenRequest(body: Record<string, unknown>): { claims: ZoneTokenClaims; validForMs: number } {
  const violations: Violation[] = [];
  const zone = body.zone;
  if (typeof zone !== 'string' || !ZONE_NAME.test(zone)) {
    violations.push({ field: 'zone', reason: 'must be a zone name (lower-case letters, digits and -)' });
  }
  const scope = body.scope ?? ZONE_TOKEN_SCOPES;
  if (
    !Array.isArray(scope) ||
    scope.length === 0 ||
    !scope.every((s) => ZONE_TOKEN_SCOPES.includes(s as ZoneTokenScope))
  ) {
    violations.push({ field: 'scope', reason: `must be a non-empty list of ${ZONE_TOKEN_SCOPES.join(', ')}` });
  }
  const validFor = body.validFor ?? DEFAULT_ZONE_TOKEN_VALID_FOR;
  const validForMs = typeof validFor === 'string' ? parseDuration(validFor) : undefined;
  if (validForMs === undefined || validForMs <= 0) {
    violations.push({ field: 'validFor', reason: 'must be a positive duration such as 24h or 30m' });
  }
  if (violations.length > 0) throw invalidInput('body', violations);
  return {
    claims: { zone: zone as string, scope: [...new Set(scope as ZoneTokenScope[])] },
    validForMs: validForMs as number,
  };
}

/**
 * `POST /tokens/zone` (Kuma's path and body: `{zone, scope: [cp, ingress], validFor}`) answers a
 * zone token as text/plain; admins only. Served by the global CP, which verifies the tokens on KDS.
 */
export function registerZoneTokenRoutes(app: FastifyInstance, issuer: TokenIssuer<ZoneTokenClaims>): void {
  app.post(
    '/tokens/zone',
    { config: { strait: { errorTitle: 'Could not issue a token' } } },
    async (request, reply) => {
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new StraitError('Invalid', 'the request body must be a JSON object', {
          violations: [{ field: '(root)', reason: 'must be a JSON object' }],
        });
      }
      const { claims, validForMs } = parseZoneTokenRequest(body as Record<string, unknown>);
      const token = await issuer.issue(claims, { validForMs });
      request.log.info({ zone: claims.zone, scope: claims.scope, validForMs }, 'issued zone token');
      return reply.type('text/plain').send(token);
    },
  );
}
