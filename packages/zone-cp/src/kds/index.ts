/** The zone CP's KDS client: dials the global, takes meshes and policies down, sends the zone's resources up. */

export type { KdsClient } from './kds-client.js';
export { createKdsClient } from './kds-client.js';
export type {
  KdsClientObserver,
  KdsClientOptions,
  KdsDisconnectInfo,
  ResolvedKdsClientOptions,
} from './kds-client-options.js';
export { resolveKdsClientOptions } from './kds-client-options.js';
