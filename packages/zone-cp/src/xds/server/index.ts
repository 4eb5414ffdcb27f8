/** The zone CP's ADS server (SotW and delta xDS over gRPC). */

export type { AdsServer } from './ads-server.js';
export { createAdsServer } from './ads-server.js';
export type {
  AdsErrorDetail,
  AdsObserver,
  AdsProtocol,
  AdsServerOptions,
  AdsStreamInfo,
  ProxyIdentity,
} from './ads-server-options.js';
