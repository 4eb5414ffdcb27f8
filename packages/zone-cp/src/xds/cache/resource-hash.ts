/**
 * Content hashes used as xDS versions. A resource's version is the hash of its wire bytes, so
 * regenerating identical config yields the identical version and nothing is resent; a set's
 * version is the hash of its members' names and versions, so it changes exactly when one of
 * them does.
 */

import { hash } from 'node:crypto';

/** Hash length kept, in base64url characters (22 chars = 132 bits: collisions are not a concern). */
const VERSION_CHARS = 22;

/** The version of one resource: a truncated SHA-256 of its serialized bytes. */
export function hashResourceBytes(bytes: Uint8Array): string {
  return hash('sha256', bytes, 'base64url').slice(0, VERSION_CHARS);
}

/** A named, versioned member of a set (a snapshot resource). */
export interface Versioned {
  readonly name: string;
  readonly version: string;
}

/**
 * The version of a set of resources, independent of the order they are listed in (generators
 * need not sort). The empty set has a fixed version too, so "no resources" is a real state that
 * can be sent and ACKed.
 */
export function hashResourceSet(members: Iterable<Versioned>): string {
  const lines: string[] = [];
  for (const m of members) lines.push(`${m.name}\u0000${m.version}`);
  lines.sort();
  return hash('sha256', lines.join('\n'), 'base64url').slice(0, VERSION_CHARS);
}

/** The version of an empty set: what a type with no resources is at. */
export const EMPTY_SET_VERSION: string = hashResourceSet([]);
