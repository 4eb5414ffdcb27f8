/**
 * Immutable resource snapshots. A stored resource is handed out deep-frozen, so a caller
 * mutating what it got back can never change stored state (and fails loudly in strict code).
 */
import { invalid } from '../errors/strait-error.js';
import type { Resource, ResourceKey, ResourceMeta } from '../model/resource.js';

/** Freezes `value` and everything reachable from it; returns it for chaining. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}

/**
 * JSON text of `value`; `Invalid` if it has no JSON form (undefined, a function, a BigInt,
 * a cycle). Both stores keep exactly what survives this round trip.
 */
export function toJsonText(value: unknown, field: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw invalid([{ field, reason: `not representable as JSON (${(err as Error).message})` }]);
  }
  if (text === undefined) throw invalid([{ field, reason: 'not representable as JSON' }]);
  return text;
}

/** The fields a resource is assembled from. */
export interface ResourceParts {
  readonly type: string;
  readonly name: string;
  readonly mesh: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly version: number;
  readonly creationTime: string;
  readonly modificationTime: string;
  readonly owner: ResourceKey | undefined;
  readonly spec: unknown;
  readonly status: unknown;
}

/**
 * Assembles a resource with a fixed field order and optional fields present only when set
 * (so two stores produce deep-equal objects). Does not freeze or copy.
 */
export function assembleResource(p: ResourceParts): Resource {
  const meta: ResourceMeta = {
    name: p.name,
    ...(p.mesh === undefined ? {} : { mesh: p.mesh }),
    labels: p.labels,
    version: p.version,
    creationTime: p.creationTime,
    modificationTime: p.modificationTime,
    ...(p.owner === undefined ? {} : { owner: p.owner }),
  };
  return { type: p.type, meta, spec: p.spec, ...(p.status === undefined ? {} : { status: p.status }) };
}

/** A key object with `mesh` present only when set. */
export function makeKey(type: string, mesh: string | undefined, name: string): ResourceKey {
  return mesh === undefined ? { type, name } : { type, mesh, name };
}

/** RFC 3339 UTC timestamp (millisecond precision) of `date`. */
export function rfc3339(date: Date): string {
  return date.toISOString();
}
