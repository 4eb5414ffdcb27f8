export type { IssueToken } from './admin-token-file.js';
export { ensureAdminTokenFile } from './admin-token-file.js';
export { DEFAULT_MESH_NAME, ensureDefaultMesh } from './default-mesh.js';
export { DEFAULT_PERMISSION_NAME, watchMeshDefaults } from './mesh-defaults.js';
