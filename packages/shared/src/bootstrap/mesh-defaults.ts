import { isStraitError } from '../errors/strait-error.js';
import type { Logger } from '../logging/logger.js';
import type { ResourceStore } from '../store/store.js';

/** Name of the permission a new mesh gets (Kuma's `allow-all` convention). */
export const DEFAULT_PERMISSION_NAME = 'allow-all';

/** Policies a new mesh starts with, unless its `skipCreatingInitialPolicies` names them (or `*`). */
function initialPolicies(mesh: string) {
  return [
    {
      type: 'MeshTrafficPermission',
      mesh,
      name: DEFAULT_PERMISSION_NAME,
      labels: {},
      spec: {
        targetRef: { kind: 'Mesh' },
        from: [{ targetRef: { kind: 'Mesh' }, default: { action: 'Allow' } }],
      },
    },
  ];
}

/**
 * Gives every newly created mesh its initial policies (an allow-all MeshTrafficPermission), as
 * Kuma does. Subscribe before anything can create meshes. Returns the unsubscribe function.
 */
export function watchMeshDefaults(store: ResourceStore, logger: Logger): () => void {
  const log = logger.child({ component: 'mesh-defaults' });
  return store.subscribe((event) => {
    if (event.op !== 'create' || event.key.type !== 'Mesh') return;
    const mesh = event.key.name;
    const skip = (event.resource.spec as { skipCreatingInitialPolicies?: string[] }).skipCreatingInitialPolicies ?? [];
    for (const policy of initialPolicies(mesh)) {
      if (skip.includes('*') || skip.includes(policy.type)) continue;
      store.create(policy).then(
        () => log.info({ mesh, type: policy.type, name: policy.name }, 'created initial policy'),
        (err: unknown) => {
          if (!isStraitError(err, 'AlreadyExists') && !isStraitError(err, 'NotFound')) {
            log.error({ err, mesh, type: policy.type }, 'failed to create initial policy');
          }
        },
      );
    }
  });
}
