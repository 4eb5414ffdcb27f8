/**
 * JWT tokens (user, dataplane, zone): issuing, verification, signing-key rotation and
 * revocation, with keys and revocation lists stored as GlobalSecrets. Private signing keys
 * never leave the CP that owns them: zones receive public keys (`publicTokenMaterial`).
 */

export type { ProxyClaim, ProxyTokenClaims, ProxyTokenType } from './proxy-token.js';
export { checkProxyToken } from './proxy-token.js';
export { isPrivateTokenMaterial, publicTokenMaterial } from './public-token-material.js';
export { decodeRevocations, encodeRevocations, revocationsName } from './revocation-list.js';
export type { SigningKey, VerificationKey } from './signing-key.js';
export {
  parseSigningKeyName,
  signingKeyName,
  signingKeySerial,
  signingPublicKeyName,
  signingPublicKeySerial,
} from './signing-key.js';
export type { IssueOptions, RegisteredClaims, TokenIssuer, TokenIssuerOptions } from './token-issuer.js';
export { createTokenIssuer } from './token-issuer.js';
export type { ZoneTokenClaims, ZoneTokenScope } from './zone-token.js';
export { ZONE_TOKEN_SCOPES } from './zone-token.js';
