import { isStraitError } from '../errors/strait-error.js';
import type { Logger } from '../logging/logger.js';
import type { ResourceStore } from '../store/store.js';

/** Name of the mesh a control plane creates on first start. */
export const DEFAULT_MESH_NAME = 'default';

/**
 * Creates mesh `default` unless it exists. Runs at every start; a mesh the user deleted
 * comes back only on a store that has never held it (the store records that it was created).
 */
export async function ensureDefaultMesh(store: ResourceStore, logger: Logger): Promise<boolean> {
  if ((await store.get({ type: 'Mesh', name: DEFAULT_MESH_NAME })) !== undefined) return false;
  if ((await store.revision()) > 0) return false; // not a fresh store: the user removed it on purpose
  try {
    await store.create({ type: 'Mesh', name: DEFAULT_MESH_NAME, labels: {}, spec: {} });
  } catch (err) {
    if (isStraitError(err, 'AlreadyExists')) return false; // another replica was faster
    throw err;
  }
  logger.info({ mesh: DEFAULT_MESH_NAME }, 'created default mesh');
  return true;
}
