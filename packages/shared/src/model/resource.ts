/**
 * The resource model: every object Strait stores, syncs and serves is a `Resource`.
 * This is the internal, normalised form; the Kuma universal JSON/YAML form (where legacy
 * types keep their spec fields at the top level) is produced by the codec in `codec.ts`.
 */

/** Identifies one resource. `mesh` is set exactly for mesh-scoped types. */
export interface ResourceKey {
  readonly type: string;
  readonly mesh?: string;
  readonly name: string;
}

/** Metadata the store maintains. */
export interface ResourceMeta {
  readonly name: string;
  /** Set exactly for mesh-scoped types. */
  readonly mesh?: string;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Store revision of the last write to this resource. Revisions grow monotonically
   * across the whole store, so they also order changes (used by optimistic concurrency,
   * change feeds and KDS resumption).
   */
  readonly version: number;
  /** RFC 3339 timestamps, UTC. */
  readonly creationTime: string;
  readonly modificationTime: string;
  /** The resource this one belongs to; deleting the owner deletes it. */
  readonly owner?: ResourceKey;
}

/** A stored resource. `spec` and `status` are in the type's universal JSON shape. */
export interface Resource<Spec = unknown, Status = unknown> {
  readonly type: string;
  readonly meta: ResourceMeta;
  readonly spec: Spec;
  readonly status?: Status;
}

/** What a caller hands the store to create or replace a resource. */
export interface ResourceInput<Spec = unknown, Status = unknown> {
  readonly type: string;
  readonly mesh?: string;
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly spec: Spec;
  readonly status?: Status;
  readonly owner?: ResourceKey;
}

/** The key of a resource. */
export function keyOf(r: Resource | ResourceInput): ResourceKey {
  if ('meta' in r) {
    return r.meta.mesh === undefined
      ? { type: r.type, name: r.meta.name }
      : { type: r.type, mesh: r.meta.mesh, name: r.meta.name };
  }
  return r.mesh === undefined ? { type: r.type, name: r.name } : { type: r.type, mesh: r.mesh, name: r.name };
}

/** A printable form of a key, `Type mesh/name` or `Type name`. */
export function formatKey(key: ResourceKey): string {
  return key.mesh === undefined ? `${key.type} ${key.name}` : `${key.type} ${key.mesh}/${key.name}`;
}
