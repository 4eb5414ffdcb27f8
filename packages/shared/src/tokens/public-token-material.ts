/**
 * What of the token material may leave the global CP for a zone. A zone must verify the tokens
 * the global issues (dataplane and zone-ingress tokens, user tokens, zone tokens of scope
 * `ingress`) but must never be able to issue them in the global's name: each private
 * `<kind>-token-signing-key-N` GlobalSecret travels as `<kind>-token-signing-public-key-N`,
 * holding only the public key (SPKI PEM, base64 like the private one). Revocation lists travel
 * as they are. A zone signs its own tokens with keys of its own, which never sync (see
 * `token-material-cache.ts`).
 */

import type { Resource } from '../model/resource.js';
import { parseSigningKeyName, publicKeyPemOf, signingPublicKeyName } from './signing-key.js';
import { GLOBAL_SECRET_TYPE } from './token-material-cache.js';

/** True when a resource of `type` named `name` is a private token signing key. */
export function isPrivateTokenMaterial(type: string, name: string): boolean {
  return type === GLOBAL_SECRET_TYPE && parseSigningKeyName(name) !== undefined;
}

/** Change events hand every zone's sender the same object: derive its public form once. */
const derived = new WeakMap<Resource, Resource | null>();

/**
 * The form of `resource` that may be sent to a zone: a private signing key becomes its public
 * key (same labels, times and version); an unreadable one is withheld (undefined); anything
 * else is returned unchanged.
 */
export function publicTokenMaterial(resource: Resource): Resource | undefined {
  if (!isPrivateTokenMaterial(resource.type, resource.meta.name)) return resource;
  const known = derived.get(resource);
  if (known !== undefined) return known ?? undefined;
  const result = derivePublic(resource);
  derived.set(resource, result ?? null);
  return result;
}

function derivePublic(resource: Resource): Resource | undefined {
  const parsed = parseSigningKeyName(resource.meta.name);
  const data = (resource.spec as { data?: unknown } | undefined)?.data;
  if (parsed === undefined || typeof data !== 'string') return undefined;
  let publicPem: string;
  try {
    publicPem = publicKeyPemOf(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  return {
    ...resource,
    meta: { ...resource.meta, name: signingPublicKeyName(parsed.kind, parsed.serial) },
    spec: { data: Buffer.from(publicPem, 'utf8').toString('base64') },
  };
}
