import { invalidInput } from '../errors/http-errors.js';

/** The entity tag of a resource: its store version, as a strong ETag. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** A parsed `If-Match`: any existing version (`*`), or one of these versions. */
export type IfMatch = { readonly any: true } | { readonly any: false; readonly versions: ReadonlySet<number> };

/**
 * Parses `If-Match` (`"12"`, `W/"12"`, `12`, `*`, or a comma-separated list).
 * Returns undefined when the header is absent; 400 (source header) when malformed.
 */
export function parseIfMatch(header: string | undefined): IfMatch | undefined {
  if (header === undefined) return undefined;
  const versions = new Set<number>();
  for (const raw of header.split(',')) {
    const tag = raw.trim();
    if (tag === '*') return { any: true };
    const digits = /^(?:W\/)?"?([0-9]{1,15})"?$/.exec(tag)?.[1];
    if (digits === undefined) {
      throw invalidInput('header', [{ field: 'If-Match', reason: 'must be an ETag returned by this API, or *' }]);
    }
    versions.add(Number(digits));
  }
  return { any: false, versions };
}

/** True when `If-None-Match` names the current version (the client's copy is current). */
export function noneMatchHits(header: string | undefined, version: number): boolean {
  if (header === undefined) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etagOf(version);
  });
}
