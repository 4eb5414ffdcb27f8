/**
 * Authentication and authorization of API requests, as one `onRequest` hook.
 *
 * - `Authorization: Bearer <user token>`: the token's `name` and `groups` are the identity;
 *   a forged, expired or revoked token is 401 wherever it comes from.
 * - No token: a direct loopback caller is admin when `localhostIsAdmin` (default, as in Kuma);
 *   anyone else is 401.
 * - Authorization is deliberately simple: members of `mesh-system:admin` may do everything;
 *   other identities may read, except types listed in `adminOnlyTypes` (secrets), and every
 *   write (any method but GET/HEAD/OPTIONS) is 403 for them.
 */
import { StraitError } from '@strait/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import '../routes/route-config.js';
import { type Identity, isAdmin, LOCALHOST_ADMIN, setIdentity } from './identity.js';
import { isDirectLoopbackRequest } from './loopback.js';

/** Verifies a user token and returns its claims; throws `Unauthenticated` (e.g. a user `TokenIssuer`). */
export interface TokenVerifier {
  verify(token: string): Promise<Readonly<Record<string, unknown>>>;
}

/** Auth options of the API server. */
export interface ApiAuthOptions {
  /** Verifies bearer tokens; without it every request carrying a token is refused (401). */
  readonly tokens?: TokenVerifier;
  /** Direct loopback callers without a token are admins; default true. */
  readonly localhostIsAdmin?: boolean;
  /** Types only admins may read; default `Secret` and `GlobalSecret` (they hold signing keys). */
  readonly adminOnlyTypes?: readonly string[];
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BEARER = /^bearer\s+(\S+)\s*$/i;

/** Builds the `onRequest` hook. */
export function createAuthHook(auth: ApiAuthOptions): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const localhostIsAdmin = auth.localhostIsAdmin ?? true;
  const { tokens } = auth;

  const authenticate = async (request: FastifyRequest): Promise<Identity> => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const token = BEARER.exec(header)?.[1];
      if (token === undefined) throw unauthenticated(request, 'unsupported authorization scheme (use Bearer)');
      if (tokens === undefined) throw unauthenticated(request, 'token authentication is not enabled');
      let claims: Readonly<Record<string, unknown>>;
      try {
        claims = await tokens.verify(token);
      } catch (err) {
        if (err instanceof StraitError && err.code === 'Unauthenticated') throw unauthenticated(request, err.message);
        throw err;
      }
      return identityFromClaims(request, claims);
    }
    if (localhostIsAdmin && isDirectLoopbackRequest(request)) return LOCALHOST_ADMIN;
    throw unauthenticated(request, 'missing credentials: send Authorization: Bearer <user token>');
  };

  return async (request) => {
    const route = request.routeOptions.config.strait;
    if (route?.public === true) return;
    const identity = await authenticate(request);
    setIdentity(request, identity);
    if (isAdmin(identity)) return;
    if (!READ_METHODS.has(request.method)) {
      throw new StraitError(
        'Forbidden',
        `user "${identity.name}" may read but not write: writes need group mesh-system:admin`,
      );
    }
    if (route?.adminOnly === true) {
      throw new StraitError(
        'Forbidden',
        `user "${identity.name}" may not read this resource type: it needs group mesh-system:admin`,
      );
    }
  };
}

function identityFromClaims(request: FastifyRequest, claims: Readonly<Record<string, unknown>>): Identity {
  const { name, groups = [] } = claims;
  if (typeof name !== 'string' || name === '') throw unauthenticated(request, 'token has no user name');
  if (!Array.isArray(groups) || !groups.every((g): g is string => typeof g === 'string')) {
    throw unauthenticated(request, 'token groups must be a list of strings');
  }
  return Object.freeze({ name, groups: Object.freeze([...groups]) });
}

function unauthenticated(request: FastifyRequest, reason: string): StraitError {
  // The reason only: tokens never reach a log line.
  request.log.info({ reason, url: request.url }, 'authentication rejected');
  return new StraitError('Unauthenticated', reason);
}
