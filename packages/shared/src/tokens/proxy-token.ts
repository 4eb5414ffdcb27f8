import { StraitError, type Violation } from '../errors/strait-error.js';

/** What kind of proxy a proxy token admits. */
export type ProxyTokenType = 'dataplane' | 'ingress';

/**
 * Claims of a dataplane (or zone-ingress) token, as Kuma shapes them: the token is bound to a
 * mesh and optionally to a name and to tag values; a proxy may only register a resource the
 * token covers.
 */
export interface ProxyTokenClaims {
  readonly type: ProxyTokenType;
  readonly mesh?: string;
  /** Empty or absent: any name. */
  readonly name?: string;
  /** Each listed tag must appear on every inbound with one of the listed values. */
  readonly tags?: Readonly<Record<string, readonly string[]>>;
}

/** The identity a proxy claims when it registers. */
export interface ProxyClaim {
  readonly type: ProxyTokenType;
  readonly mesh?: string;
  readonly name: string;
  /** Tags of each inbound of a Dataplane (empty for an ingress). */
  readonly inboundTags: readonly Readonly<Record<string, string>>[];
}

/**
 * Checks that a verified token covers what the proxy claims. Throws `Forbidden` naming each
 * mismatch (the token's own validity is checked before, by the token issuer).
 */
export function checkProxyToken(claims: ProxyTokenClaims, proxy: ProxyClaim): void {
  const mismatches: Violation[] = [];
  if (claims.type !== proxy.type) {
    mismatches.push({ field: 'type', reason: `token is for a ${claims.type}, not a ${proxy.type}` });
  }
  if (claims.mesh !== undefined && claims.mesh !== '' && claims.mesh !== proxy.mesh) {
    mismatches.push({ field: 'mesh', reason: `token is for mesh "${claims.mesh}", not "${proxy.mesh ?? ''}"` });
  }
  if (claims.name !== undefined && claims.name !== '' && claims.name !== proxy.name) {
    mismatches.push({ field: 'name', reason: `token is for "${claims.name}", not "${proxy.name}"` });
  }
  for (const [tag, allowed] of Object.entries(claims.tags ?? {})) {
    proxy.inboundTags.forEach((tags, i) => {
      const value = tags[tag];
      if (value === undefined || !allowed.includes(value)) {
        mismatches.push({
          field: `networking.inbound[${i}].tags["${tag}"]`,
          reason: `token allows ${tag} ${allowed.map((v) => `"${v}"`).join(' or ')}, not ${value === undefined ? 'none' : `"${value}"`}`,
        });
      }
    });
  }
  if (mismatches.length > 0) {
    const list = mismatches.map((m) => `${m.field}: ${m.reason}`).join('; ');
    throw new StraitError('Forbidden', `the token does not cover this proxy: ${list}`, { violations: mismatches });
  }
}
