import { invalid, type ResourceKey, type ResourceRegistry, type ResourceStore } from '@strait/shared';

/** A rule that refuses deleting a resource while others still live inside it. */
interface ContainsGuard {
  readonly kind: 'contains';
  /** The type being deleted (a mesh, whose name scopes the dependents). */
  readonly type: string;
  /** Mesh-scoped type whose presence in that mesh blocks the delete. */
  readonly blockedBy: string;
  readonly field: string;
  readonly reason: string;
}

/** A rule that refuses deleting a resource while its insight of the same name shows it connected. */
interface OnlineGuard {
  readonly kind: 'online';
  readonly type: string;
  /** Global-scoped insight type whose last subscription, if still open, blocks the delete. */
  readonly blockedBy: string;
  readonly field: string;
  readonly reason: string;
}

type DeleteGuard = ContainsGuard | OnlineGuard;

function isOnline(spec: unknown): boolean {
  const last = (spec as { subscriptions?: Array<{ disconnectTime?: string }> }).subscriptions?.at(-1);
  return last !== undefined && last.disconnectTime === undefined;
}

/**
 * Kuma refuses deleting a mesh that still has dataplanes (400, field `mesh`): they would be
 * orphaned proxies. Everything else in the mesh is deleted with it by the store's cascade.
 * A connected zone cannot be deleted either (what it synced would come straight back).
 */
const DELETE_GUARDS: readonly DeleteGuard[] = [
  {
    kind: 'contains',
    type: 'Mesh',
    blockedBy: 'Dataplane',
    field: 'mesh',
    reason: 'unable to delete mesh, there are still some dataplanes attached',
  },
  {
    // A connected zone would re-create what the delete removes; disconnect (or disable) it first.
    kind: 'online',
    type: 'Zone',
    blockedBy: 'ZoneInsight',
    field: 'name',
    reason: 'unable to delete a zone while it is connected: stop its zone CP or set enabled: false first',
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
      const blocked =
        g.kind === 'contains'
          ? (await store.list({ type: g.blockedBy, mesh: key.name, size: 1 })).total > 0
          : isOnline((await store.get({ type: g.blockedBy, name: key.name }))?.spec ?? {});
      if (blocked) throw invalid([{ field: g.field, reason: g.reason }], `delete of ${type} ${key.name}`);
    }
  };
}
