/**
 * @strait/dataplane — the sidecar runner behind `strait dp run`: registers a Dataplane with its
 * zone control plane and runs its Envoy (the Envoy launcher itself lives in @strait/shared).
 */

export type { DataplaneOptions } from './dataplane-options.js';
export { DEFAULT_DRAIN_TIME_MS } from './dataplane-options.js';
export { runDataplane } from './run-dataplane.js';
export type { RunningDataplane } from './start-dataplane.js';
export { startDataplane } from './start-dataplane.js';
