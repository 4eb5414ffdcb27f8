/**
 * The Envoy launcher shared by `strait dp run` and `strait zone-ingress run`: find Envoy, read the
 * proxy's resource file, register with the zone CP and fetch the bootstrap, run and supervise
 * Envoy, drain it on shutdown and deregister.
 */

export type { CpClientOptions } from './call-cp.js';
export { DEFAULT_CP_BOOTSTRAP_PORT, parseCpAddress } from './cp-address.js';
export type { DeregisterOptions } from './deregister.js';
export { deregisterProxy } from './deregister.js';
export type { EnvoyAdmin, EnvoyAdminAddress } from './envoy-admin.js';
export { createEnvoyAdmin } from './envoy-admin.js';
export type { EnvoyReadyOptions, EnvoyRunner, EnvoyRunnerOptions } from './envoy-runner.js';
export { createEnvoyRunner } from './envoy-runner.js';
export type { EnvoyVersion } from './envoy-version.js';
export { envoyVersion } from './envoy-version.js';
export type { BootstrapResult, FetchBootstrapOptions } from './fetch-bootstrap.js';
export { fetchBootstrap } from './fetch-bootstrap.js';
export type { LaunchedProxy, LaunchProxyOptions, ProxyRunOptions } from './launch-proxy.js';
export {
  DEFAULT_DRAIN_TIME_MS,
  launchProxy,
  readCaCertificate,
  readTokenFile,
  wasReported as wasProxyStartReported,
} from './launch-proxy.js';
export type { PollOptions } from './poll-until.js';
export { pollUntil } from './poll-until.js';
export type { ProxyResource, ProxyResourceFileOptions } from './proxy-resource-file.js';
export { readProxyResourceFile } from './proxy-resource-file.js';
export { renderProxyTemplate } from './proxy-template.js';
export type { ProxyType } from './proxy-type.js';
export type { ResolveEnvoyBinaryOptions } from './resolve-envoy-binary.js';
export { resolveEnvoyBinary } from './resolve-envoy-binary.js';
export type { RunProxyOptions } from './run-proxy.js';
export { runProxyUntilSignal } from './run-proxy.js';
