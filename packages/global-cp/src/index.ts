/** @strait/global-cp — the global control plane. */

export type { KdsServer, KdsServerObserver, KdsServerOptions, KdsZoneConnectionInfo } from './kds/index.js';
export { createKdsServer } from './kds/index.js';
export type { RunningGlobalCp, StartGlobalCpOptions } from './start-global-cp.js';
export { startGlobalCp } from './start-global-cp.js';
