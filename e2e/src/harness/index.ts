export { envoyBin } from './envoy-bin.js';
export { freePort } from './free-port.js';
export type { GlobalCpProcess } from './global-cp-process.js';
export { startGlobalCpProcess } from './global-cp-process.js';
export type { AppAnswer, CallResult, HttpApp } from './http-app.js';
export { call, callUntil, startHttpApp } from './http-app.js';
export {
  answerTo,
  dialKds,
  GrpcStatus,
  kdsRequest,
  kdsResponse,
  type RawKdsClient,
  type RawStream,
  rawResource,
  type StreamEnd,
} from './kds-raw-client.js';
export type { ZoneNetwork, ZoneNetworks } from './netns.js';
export { createZoneNetworks, ip, removeStaleNetworks, startInNetns, startStraitInNetns } from './netns.js';
export type { ProbeResult } from './netns-agent.js';
export type { NetnsAgent } from './netns-agent-client.js';
export { startNetnsAgent } from './netns-agent-client.js';
export { startZoneCpInNetns } from './netns-zone-cp.js';
export type { ProcessHandle, StartProcessOptions } from './process-handle.js';
export { startProcess } from './process-handle.js';
export type { Sidecar, SidecarSpec } from './sidecar.js';
export { startSidecar } from './sidecar.js';
export type { CliResult } from './strait-cli.js';
export { repoRoot, startStrait, strait, straitBin } from './strait-cli.js';
export type { TcpAddress, TcpForwarder, TcpForwarderOptions } from './tcp-forwarder.js';
export { startTcpForwarder } from './tcp-forwarder.js';
export { type RelayDirection, startTcpRelay, type TcpRelay } from './tcp-relay.js';
export type { WaitOptions } from './wait-for.js';
export { waitFor } from './wait-for.js';
export type { ZoneCpPorts, ZoneCpProcess } from './zone-cp-process.js';
export { startZoneCpProcess, zoneCpPorts } from './zone-cp-process.js';
export type { ZoneIngressProcess, ZoneIngressSpec } from './zone-ingress-process.js';
export { startZoneIngress } from './zone-ingress-process.js';
