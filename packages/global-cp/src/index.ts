/** @strait/global-cp — the global control plane. */
export { startGlobalCp } from './start-global-cp.js';
export type { StartGlobalCpOptions, RunningGlobalCp } from './start-global-cp.js';
