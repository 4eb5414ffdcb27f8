import { type ProxyTokenClaims, parseDuration, StraitError, type TokenIssuer, type Violation } from '@strait/shared';
import type { FastifyInstance } from 'fastify';
import { invalidInput } from '../errors/http-errors.js';

/** Default lifetime of a dataplane token when the request names none (Kuma: 10 years; we are stricter). */
export const DEFAULT_PROXY_TOKEN_VALID_FOR = '8760h';

interface TokenRequest {
  readonly name?: unknown;
  readonly mesh?: unknown;
  readonly tags?: unknown;
  readonly type?: unknown;
  readonly validFor?: unknown;
}

function parseRequest(body: TokenRequest): { claims: ProxyTokenClaims; validForMs: number } {
  const violations: Violation[] = [];
  const type = body.type ?? 'dataplane';
  if (type !== 'dataplane' && type !== 'ingress')
    violations.push({ field: 'type', reason: 'must be dataplane or ingress' });
  if (body.name !== undefined && typeof body.name !== 'string')
    violations.push({ field: 'name', reason: 'must be a string' });
  const mesh = body.mesh ?? (type === 'dataplane' ? 'default' : undefined);
  if (mesh !== undefined && typeof mesh !== 'string') violations.push({ field: 'mesh', reason: 'must be a string' });
  const tags: Record<string, string[]> = {};
  if (body.tags !== undefined) {
    if (typeof body.tags !== 'object' || body.tags === null || Array.isArray(body.tags)) {
      violations.push({ field: 'tags', reason: 'must map tag names to lists of values' });
    } else {
      for (const [k, v] of Object.entries(body.tags)) {
        if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string')) {
          violations.push({ field: `tags["${k}"]`, reason: 'must be a non-empty list of strings' });
        } else tags[k] = v as string[];
      }
    }
  }
  const validFor = body.validFor ?? DEFAULT_PROXY_TOKEN_VALID_FOR;
  const validForMs = typeof validFor === 'string' ? parseDuration(validFor) : undefined;
  if (validForMs === undefined || validForMs <= 0) {
    violations.push({ field: 'validFor', reason: 'must be a positive duration such as 24h or 30m' });
  }
  if (violations.length > 0) throw invalidInput('body', violations);
  const claims: ProxyTokenClaims = {
    type: type as ProxyTokenClaims['type'],
    ...(typeof mesh === 'string' ? { mesh } : {}),
    ...(typeof body.name === 'string' && body.name !== '' ? { name: body.name } : {}),
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
  };
  return { claims, validForMs: validForMs as number };
}

/**
 * `POST /tokens/dataplane` (Kuma's path and body: `{name, mesh, tags: {k: [v]}, type, validFor}`)
 * answers the signed token as text/plain. Admins only (it is a write). Zone-ingress tokens come
 * from the same endpoint with `type: ingress`.
 */
export function registerProxyTokenRoutes(app: FastifyInstance, issuer: TokenIssuer<ProxyTokenClaims>): void {
  app.post(
    '/tokens/dataplane',
    { config: { strait: { errorTitle: 'Could not issue a token' } } },
    async (request, reply) => {
      const body = request.body;
      if (typeof body !== 'object' || body === null) {
        throw new StraitError('Invalid', 'the request body must be a JSON object', {
          violations: [{ field: '(root)', reason: 'must be a JSON object' }],
        });
      }
      const { claims, validForMs } = parseRequest(body as TokenRequest);
      const token = await issuer.issue(claims, { validForMs });
      request.log.info({ mesh: claims.mesh, name: claims.name, type: claims.type, validForMs }, 'issued proxy token');
      return reply.type('text/plain').send(token);
    },
  );
}
