/**
 * Envoy configuration generators: pure functions from a proxy's {@link ProxyContext} to its
 * listeners, clusters, endpoints, routes and secrets.
 */

export { generateAdminCluster } from './admin-cluster.js';
export { generateClusterLoadAssignment } from './endpoints.js';
export {
  createGenerationMemo,
  type GenerationMemo,
  generateProxyResources,
  INBOUND_ONLY_POLICY_TYPES,
  memoAfterInboundPolicyChange,
  type ProxyResources,
} from './generate-proxy.js';
export {
  generateInboundFilterChains,
  generateInboundListener,
  type InboundChainsInput,
  inboundChainsInput,
} from './inbound-listener.js';
export {
  generateIngressCluster,
  generateIngressLoadAssignment,
  INGRESS_CONNECT_TIMEOUT_MS,
} from './ingress-cluster.js';
export type { IngressContext, IngressTarget } from './ingress-context.js';
export { generateIngressListener } from './ingress-listener.js';
export { ingressListenerName, ingressStatPrefix, ingressTargetSni } from './ingress-names.js';
export { generateIngressResources } from './ingress-proxy.js';
export { generateLocalCluster } from './local-cluster.js';
export * as names from './names.js';
export { generateOutboundCluster } from './outbound-cluster.js';
export { generateOutboundListener } from './outbound-listener.js';
export { generatePrometheusListener, type PrometheusListenerOptions } from './prometheus-listener.js';
export type {
  Endpoint,
  Inbound,
  MeshMtls,
  Outbound,
  ProxyContext,
  ProxyDataplane,
  ProxyIdentity,
  ProxyMesh,
  ProxySecret,
  ProxyWarning,
  ServiceProtocol,
} from './proxy-context.js';
export { beginProxyGeneration, createProxyMemo, type ProxyMemo, reused } from './proxy-memo.js';
export { type RenderedPermissions, renderPermissions, subsetPrincipal } from './rbac.js';
export { generateSecret, generateSecrets } from './secrets.js';
export { type StaticBootstrapOptions, toStaticBootstrap } from './static-bootstrap.js';
