/**
 * The hash-suffixed names synced resources are stored under, computed exactly as Kuma computes
 * them (`hash.HashedName` in Kuma's `pkg/core/resources/model`), so a resource synced by Strait
 * has the same name it would have under Kuma and Kuma's tooling (the GUI, `kumactl`, KRI
 * lookups) finds it:
 *
 *     <name truncated to 236 characters>-<16 characters>
 *
 * where the 16 characters are FNV-1a 64 over the UTF-8 bytes of `mesh`, `name` and the extra
 * values, written one after the other with no separator, as 16 lower-case hex digits, each
 * digit then mapped through Kubernetes' `rand.SafeEncodeString` alphabet (no vowels, so a
 * suffix never spells a word).
 */

/** Kubernetes' `rand.SafeEncodeString` alphabet. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** Longest name a suffixed name keeps: 253 (a DNS subdomain) minus the dash and 16 characters. */
const MAX_PREFIX_LENGTH = 253 - 17;

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;

/** FNV-1a, 64 bits, over the UTF-8 bytes of each part in turn. */
function fnv1a64(parts: readonly string[]): bigint {
  const encoder = new TextEncoder();
  let hash = FNV64_OFFSET;
  for (const part of parts) {
    for (const byte of encoder.encode(part)) {
      hash ^= BigInt(byte);
      hash = (hash * FNV64_PRIME) & MASK64;
    }
  }
  return hash;
}

/**
 * The name a synced resource is stored under on the receiving side: `name` plus a suffix that
 * hashes `mesh` (empty for global-scoped types), `name` and `extra` (the origin zone for
 * zone-originated resources). Deterministic, so both sides compute it without talking.
 */
export function kdsHashedName(mesh: string, name: string, ...extra: readonly string[]): string {
  const hex = fnv1a64([mesh, name, ...extra])
    .toString(16)
    .padStart(16, '0');
  let suffix = '';
  for (let i = 0; i < hex.length; i += 1) {
    suffix += SAFE_ALPHABET[hex.charCodeAt(i) % SAFE_ALPHABET.length];
  }
  return `${name.slice(0, MAX_PREFIX_LENGTH)}-${suffix}`;
}
