/** The global CP's KDS server: zones dial in, meshes and policies go down, zone resources come up. */

export type { KdsServer } from './kds-server.js';
export { createKdsServer } from './kds-server.js';
export type {
  KdsServerObserver,
  KdsServerOptions,
  KdsZoneConnectionInfo,
  ResolvedKdsServerOptions,
} from './kds-server-options.js';
export { resolveKdsServerOptions } from './kds-server-options.js';
