/**
 * Every built-in resource type, as a descriptor, and the registry built from them.
 * Adding a type is adding a file here and a line in {@link builtinDescriptors}.
 */
import type { TSchema } from '@sinclair/typebox';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { createRegistry, type ResourceRegistry } from '../model/registry.js';
import { dataplaneDescriptor } from './dataplane.js';
import { dataplaneInsightDescriptor } from './dataplane-insight.js';
import { globalSecretDescriptor } from './global-secret.js';
import { meshDescriptor } from './mesh.js';
import { meshAccessLogDescriptor } from './mesh-access-log.js';
import { meshCircuitBreakerDescriptor } from './mesh-circuit-breaker.js';
import { meshFaultInjectionDescriptor } from './mesh-fault-injection.js';
import { meshHealthCheckDescriptor } from './mesh-health-check.js';
import { meshHTTPRouteDescriptor } from './mesh-http-route.js';
import { meshLoadBalancingStrategyDescriptor } from './mesh-load-balancing-strategy.js';
import { meshMetricDescriptor } from './mesh-metric.js';
import { meshRateLimitDescriptor } from './mesh-rate-limit.js';
import { meshRetryDescriptor } from './mesh-retry.js';
import { meshTCPRouteDescriptor } from './mesh-tcp-route.js';
import { meshTimeoutDescriptor } from './mesh-timeout.js';
import { meshTraceDescriptor } from './mesh-trace.js';
import { meshTrafficPermissionDescriptor } from './mesh-traffic-permission.js';
import { secretDescriptor } from './secret.js';
import { zoneDescriptor } from './zone.js';
import { zoneIngressDescriptor } from './zone-ingress.js';
import { zoneIngressInsightDescriptor } from './zone-ingress-insight.js';
import { zoneInsightDescriptor } from './zone-insight.js';

export { isDuration, type ParseDurationOptions, parseDuration } from './common/duration.js';
export { type SecretSpec, SecretSpecSchema } from './common/secret-data.js';
export { PROTOCOL_TAG, PROTOCOLS, type Protocol, SERVICE_TAG, ZONE_TAG } from './common/tags.js';
export type { TargetRef, TargetRefKind } from './common/target-ref.js';
export { includesGateways, TARGET_REF_KINDS, TargetRefSchema, topLevelRef } from './common/target-ref.js';
export { type DataplaneSpec, DataplaneSpecSchema, dataplaneDescriptor } from './dataplane.js';
export {
  type DataplaneInsightSpec,
  DataplaneInsightSpecSchema,
  dataplaneInsightDescriptor,
} from './dataplane-insight.js';
export { globalSecretDescriptor } from './global-secret.js';
export { type MeshSpec, MeshSpecSchema, meshDescriptor } from './mesh.js';
export { type MeshAccessLogSpec, MeshAccessLogSpecSchema, meshAccessLogDescriptor } from './mesh-access-log.js';
export {
  type MeshCircuitBreakerSpec,
  MeshCircuitBreakerSpecSchema,
  meshCircuitBreakerDescriptor,
} from './mesh-circuit-breaker.js';
export {
  type MeshFaultInjectionSpec,
  MeshFaultInjectionSpecSchema,
  meshFaultInjectionDescriptor,
} from './mesh-fault-injection.js';
export { type MeshHealthCheckSpec, MeshHealthCheckSpecSchema, meshHealthCheckDescriptor } from './mesh-health-check.js';
export { type MeshHTTPRouteSpec, MeshHTTPRouteSpecSchema, meshHTTPRouteDescriptor } from './mesh-http-route.js';
export {
  type MeshLoadBalancingStrategySpec,
  MeshLoadBalancingStrategySpecSchema,
  meshLoadBalancingStrategyDescriptor,
} from './mesh-load-balancing-strategy.js';
export { type MeshMetricSpec, MeshMetricSpecSchema, meshMetricDescriptor } from './mesh-metric.js';
export { type MeshRateLimitSpec, MeshRateLimitSpecSchema, meshRateLimitDescriptor } from './mesh-rate-limit.js';
export { type MeshRetrySpec, MeshRetrySpecSchema, meshRetryDescriptor } from './mesh-retry.js';
export { type MeshTCPRouteSpec, MeshTCPRouteSpecSchema, meshTCPRouteDescriptor } from './mesh-tcp-route.js';
export { type MeshTimeoutSpec, MeshTimeoutSpecSchema, meshTimeoutDescriptor } from './mesh-timeout.js';
export { type MeshTraceSpec, MeshTraceSpecSchema, meshTraceDescriptor } from './mesh-trace.js';
export {
  type MeshTrafficPermissionSpec,
  MeshTrafficPermissionSpecSchema,
  meshTrafficPermissionDescriptor,
} from './mesh-traffic-permission.js';
export { secretDescriptor } from './secret.js';
export { type ZoneSpec, ZoneSpecSchema, zoneDescriptor } from './zone.js';
export { type ZoneIngressSpec, ZoneIngressSpecSchema, zoneIngressDescriptor } from './zone-ingress.js';
export {
  type ZoneIngressInsightSpec,
  ZoneIngressInsightSpecSchema,
  zoneIngressInsightDescriptor,
} from './zone-ingress-insight.js';
export { type ZoneInsightSpec, ZoneInsightSpecSchema, zoneInsightDescriptor } from './zone-insight.js';

/**
 * Forgets a descriptor's spec type so it fits in a list of descriptors. `validate` takes the
 * typed spec; the codec only calls it with a spec that passed the same descriptor's schema.
 */
function untyped<S extends TSchema>(d: ResourceDescriptor<S>): ResourceDescriptor {
  return d as unknown as ResourceDescriptor;
}

/** All built-in descriptors, in registration order: core types, insights, then policies. */
export const builtinDescriptors: readonly ResourceDescriptor[] = Object.freeze([
  untyped(meshDescriptor),
  untyped(dataplaneDescriptor),
  untyped(zoneIngressDescriptor),
  untyped(zoneDescriptor),
  untyped(secretDescriptor),
  untyped(globalSecretDescriptor),
  untyped(dataplaneInsightDescriptor),
  untyped(zoneInsightDescriptor),
  untyped(zoneIngressInsightDescriptor),
  untyped(meshTrafficPermissionDescriptor),
  untyped(meshTimeoutDescriptor),
  untyped(meshRetryDescriptor),
  untyped(meshCircuitBreakerDescriptor),
  untyped(meshHealthCheckDescriptor),
  untyped(meshLoadBalancingStrategyDescriptor),
  untyped(meshHTTPRouteDescriptor),
  untyped(meshTCPRouteDescriptor),
  untyped(meshFaultInjectionDescriptor),
  untyped(meshRateLimitDescriptor),
  untyped(meshAccessLogDescriptor),
  untyped(meshTraceDescriptor),
  untyped(meshMetricDescriptor),
]);

/** The registry of built-in types. */
export const builtinRegistry: ResourceRegistry = createRegistry(builtinDescriptors);
