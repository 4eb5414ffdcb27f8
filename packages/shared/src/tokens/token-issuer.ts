import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { invalid, isStraitError, StraitError } from '../errors/strait-error.js';
import type { Logger } from '../logging/logger.js';
import type { ResourceStore } from '../store/store.js';
import { decodeRevocations, encodeRevocations, revocationsName } from './revocation-list.js';
import { generateSigningKeyPem, type SigningKey, signingKeyName, type VerificationKey } from './signing-key.js';
import { createTokenMaterialCache, GLOBAL_SECRET_TYPE } from './token-material-cache.js';

/** Options of {@link createTokenIssuer}. */
export interface TokenIssuerOptions {
  /** Where signing keys and the revocation list live (as GlobalSecrets). */
  readonly store: ResourceStore;
  /**
   * Token kind, e.g. `user`, `dataplane`, `zone`: names the GlobalSecrets
   * `<kind>-token-signing-key-<serial>` and `<kind>-token-revocations`.
   */
  readonly kind: string;
  readonly logger: Logger;
  /** Clock in epoch milliseconds; default `Date.now` (tests pass a fixed clock). */
  readonly nowMs?: () => number;
}

/** Options of {@link TokenIssuer.issue}. */
export interface IssueOptions {
  /** Lifetime of the token in milliseconds (rounded up to whole seconds). */
  readonly validForMs: number;
}

/** Claims every issued token carries in addition to the caller's. */
export interface RegisteredClaims {
  /** Unique token id; what {@link TokenIssuer.revoke} takes. */
  readonly jti: string;
  /** Issued-at and expiry, in epoch seconds. */
  readonly iat: number;
  readonly exp: number;
}

/** Issues and verifies JWTs of one kind. */
export interface TokenIssuer<C extends object = Record<string, unknown>> {
  /** Signs `claims` with the newest signing key (created on first use). */
  issue(claims: C, options: IssueOptions): Promise<string>;
  /**
   * Checks signature, expiry and revocation, in memory only (after the first call);
   * throws `StraitError` `Unauthenticated` whose message says why.
   */
  verify(token: string): Promise<C & RegisteredClaims>;
  /** Adds `jti` to the revocation list; tokens with it fail to verify from then on. */
  revoke(jti: string): Promise<void>;
  /** Adds a signing key with the next serial; it signs from now on, older keys still verify. */
  rotateSigningKey(): Promise<{ readonly serial: number }>;
  /** Stops following store changes. */
  close(): void;
}

const KIND_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
/** Attempts of a read-modify-write that lost a race with another writer. */
const MAX_WRITE_ATTEMPTS = 8;

/**
 * Creates a token issuer for one kind of token. Keys are RSA (RS256), stored as Kuma stores
 * them; tokens carry `kid` = key serial and a random `jti`.
 */
export function createTokenIssuer<C extends object = Record<string, unknown>>(
  options: TokenIssuerOptions,
): TokenIssuer<C> {
  const { store, kind } = options;
  if (!KIND_PATTERN.test(kind)) {
    throw invalid([{ field: 'kind', reason: 'must be lower-case letters, digits and "-"' }], 'token issuer options');
  }
  const logger = options.logger.child({ component: 'token-issuer', kind });
  const nowMs = options.nowMs ?? Date.now;
  const cache = createTokenMaterialCache(store, kind, logger);
  let creatingFirstKey: Promise<SigningKey> | undefined;

  const unauthenticated = (reason: string): StraitError =>
    new StraitError('Unauthenticated', `invalid ${kind} token: ${reason}`);

  /** Creates key `serial`; false when another writer created it first. */
  const createKey = async (serial: number): Promise<boolean> => {
    const pem = await generateSigningKeyPem();
    const name = signingKeyName(kind, serial);
    try {
      const created = await store.create({
        type: GLOBAL_SECRET_TYPE,
        name,
        spec: { data: Buffer.from(pem, 'utf8').toString('base64') },
      });
      await cache.apply(created);
      logger.info({ serial }, 'created token signing key');
      return true;
    } catch (err) {
      if (!isStraitError(err, 'AlreadyExists')) throw err;
      const existing = await store.get({ type: GLOBAL_SECRET_TYPE, name });
      if (existing !== undefined) await cache.apply(existing);
      return false;
    }
  };

  const signingKey = async (): Promise<SigningKey> => {
    await cache.ready();
    const latest = cache.latestKey();
    if (latest !== undefined) return latest;
    creatingFirstKey ??= createKey(1)
      .then(() => {
        const key = cache.latestKey();
        if (key === undefined) throw new StraitError('Internal', `no usable ${kind} token signing key`);
        return key;
      })
      .finally(() => {
        creatingFirstKey = undefined;
      });
    return creatingFirstKey;
  };

  const updateRevocations = async (jti: string): Promise<void> => {
    const name = revocationsName(kind);
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await store.get({ type: GLOBAL_SECRET_TYPE, name });
      const ids = decodeRevocations((current?.spec as { data?: unknown } | undefined)?.data);
      if (ids.has(jti)) return;
      ids.add(jti);
      const input = { type: GLOBAL_SECRET_TYPE, name, spec: { data: encodeRevocations(ids) } };
      try {
        const written =
          current === undefined
            ? await store.create(input)
            : await store.update(input, { expectedVersion: current.meta.version });
        await cache.apply(written);
        return;
      } catch (err) {
        if (!isStraitError(err, 'AlreadyExists') && !isStraitError(err, 'Conflict') && !isStraitError(err, 'NotFound'))
          throw err;
      }
    }
    throw new StraitError('Conflict', `could not update ${name}: too many concurrent writers`);
  };

  return Object.freeze({
    async issue(claims: C, issueOptions: IssueOptions): Promise<string> {
      const { validForMs } = issueOptions;
      if (!Number.isSafeInteger(validForMs) || validForMs <= 0) {
        throw invalid([{ field: 'validForMs', reason: 'must be a positive integer' }], 'token request');
      }
      const key = await signingKey();
      const iat = Math.floor(nowMs() / 1000);
      return new SignJWT({ ...(claims as Record<string, unknown>) })
        .setProtectedHeader({ alg: key.alg, kid: String(key.serial), typ: 'JWT' })
        .setJti(randomUUID())
        .setIssuedAt(iat)
        .setExpirationTime(iat + Math.ceil(validForMs / 1000))
        .sign(key.privateKey);
    },

    async verify(token: string): Promise<C & RegisteredClaims> {
      let kid: unknown;
      try {
        kid = decodeProtectedHeader(token).kid;
      } catch {
        throw unauthenticated('malformed token');
      }
      await cache.ready();
      const serial = typeof kid === 'string' && /^[1-9][0-9]{0,8}$/.test(kid) ? Number(kid) : undefined;
      const keys = serial === undefined ? [] : cache.verificationKeys(serial);
      if (keys.length === 0) throw unauthenticated('unknown signing key');
      const payload = await verifiedPayload(token, keys, new Date(nowMs()), unauthenticated);
      if (typeof payload.jti !== 'string' || typeof payload.exp !== 'number' || typeof payload.iat !== 'number') {
        throw unauthenticated('missing jti, iat or exp');
      }
      if (cache.isRevoked(payload.jti)) throw unauthenticated('token revoked');
      return payload as C & RegisteredClaims;
    },

    revoke(jti: string): Promise<void> {
      if (jti === '' || /[\n,]/.test(jti)) {
        return Promise.reject(invalid([{ field: 'jti', reason: 'must be a non-empty token id' }], 'revocation'));
      }
      return updateRevocations(jti);
    },

    async rotateSigningKey(): Promise<{ readonly serial: number }> {
      await cache.ready();
      for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
        const serial = (cache.latestKey()?.serial ?? 0) + 1;
        if (await createKey(serial)) return { serial };
      }
      throw new StraitError('Conflict', `could not rotate the ${kind} token signing key: too many concurrent writers`);
    },

    close(): void {
      cache.close();
    },
  });
}

/**
 * The payload of `token` checked against each candidate key in turn (an own key and the
 * global's public key may share a serial): the first whose signature matches decides.
 */
async function verifiedPayload(
  token: string,
  keys: readonly VerificationKey[],
  currentDate: Date,
  unauthenticated: (reason: string) => StraitError,
): Promise<Record<string, unknown>> {
  let reason = 'invalid signature';
  for (const key of keys) {
    try {
      return (await jwtVerify(token, key.publicKey, { algorithms: [key.alg], currentDate })).payload;
    } catch (err) {
      reason = verifyFailureReason(err);
      // Signed by this key but not acceptable (expired, bad claims): no other key changes that.
      if (!(err instanceof joseErrors.JWSSignatureVerificationFailed) && !(err instanceof joseErrors.JOSEAlgNotAllowed))
        break;
    }
  }
  throw unauthenticated(reason);
}

function verifyFailureReason(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'token expired';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'invalid signature';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `claim ${err.claim} is not valid`;
  return 'malformed token';
}
