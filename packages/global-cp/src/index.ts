/** @strait/global-cp — the global control plane. */

export type { RunningGlobalCp, StartGlobalCpOptions } from './start-global-cp.js';
export { startGlobalCp } from './start-global-cp.js';
