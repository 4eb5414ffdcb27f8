/**
 * @strait/zone-ingress — the runner behind `strait zone-ingress run`: registers a ZoneIngress with
 * its zone control plane (authenticated by a zone token with scope `ingress`) and runs its Envoy,
 * an SNI-passthrough proxy other zones reach this zone's services through (the Envoy launcher
 * itself lives in @strait/shared).
 */

export { runZoneIngress } from './run-zone-ingress.js';
export type { RunningZoneIngress } from './start-zone-ingress.js';
export { startZoneIngress } from './start-zone-ingress.js';
export type { ZoneIngressOptions } from './zone-ingress-options.js';
export { DEFAULT_DRAIN_TIME_MS, DEFAULT_INGRESS_PORT } from './zone-ingress-options.js';
export { defaultIngressAddress, defaultIngressName, zoneIngressResource } from './zone-ingress-resource.js';
