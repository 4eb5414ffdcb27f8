import { invalid, type ResourceKey, type ResourceRegistry, type ResourceStore } from '@strait/shared';

/** A rule that refuses deleting a resource while others still live inside it. */
interface DeleteGuard {
  /** The type being deleted (a mesh, whose name scopes the dependents). */
  readonly type: string;
  /** Mesh-scoped type whose presence in that mesh blocks the delete. */
  readonly blockedBy: string;
  readonly field: string;
  readonly reason: string;
}

/**
 * Kuma refuses deleting a mesh that still has dataplanes (400, field `mesh`): they would be
 * orphaned proxies. Everything else in the mesh is deleted with it by the store's cascade.
 */
const DELETE_GUARDS: readonly DeleteGuard[] = [
  {
    type: 'Mesh',
    blockedBy: 'Dataplane',
    field: 'mesh',
    reason: 'unable to delete mesh, there are still some dataplanes attached',
  },
];

/** Checks the guards of one type; compiled once per type at start-up. */
export type DeleteCheck = (store: ResourceStore, key: ResourceKey) => Promise<void>;

/** The delete check of `type`, or undefined when nothing guards its deletion. */
export function deleteCheckFor(registry: ResourceRegistry, type: string): DeleteCheck | undefined {
  const guards = DELETE_GUARDS.filter((g) => g.type === type && registry.byName(g.blockedBy) !== undefined);
  if (guards.length === 0) return undefined;
  return async (store, key) => {
    for (const g of guards) {
      const { total } = await store.list({ type: g.blockedBy, mesh: key.name, size: 1 });
      if (total > 0) throw invalid([{ field: g.field, reason: g.reason }], `delete of ${type} ${key.name}`);
    }
  };
}
