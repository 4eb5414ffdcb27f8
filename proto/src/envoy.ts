/**
 * Envoy's v3 API for Strait: the schemas and types of the xDS messages, resources and
 * extensions Strait builds, and a registry that resolves every generated type (so `Any` packing,
 * unpacking and JSON conversion work). Consumers import from `@strait/proto/envoy`, never from
 * `./gen`.
 *
 * Names are Envoy's. Where two Envoy packages use the same message name, the less common one is
 * renamed after its package: `RBACConfig` (envoy.config.rbac.v3.RBAC, the rules),
 * `NetworkRBAC`, `HttpLocalRateLimit` / `NetworkLocalRateLimit`, `HealthCheckFilter` (the HTTP
 * filter; `HealthCheck` is the cluster health check), `UpstreamsHttpProtocolOptions`
 * (envoy.extensions.upstreams.http.v3, set per cluster in typed_extension_protocol_options),
 * `RpcStatus` (google.rpc.Status) and `HttpStatusCode`.
 */

import type { DescMessage } from '@bufbuild/protobuf';
import { createRegistry, type Registry } from '@bufbuild/protobuf';
import { withDependencies } from './descriptor-closure.js';
import { file_envoy_config_bootstrap_v3_bootstrap } from './gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
import { file_envoy_config_cluster_v3_cluster } from './gen/envoy/config/cluster/v3/cluster_pb.js';
import { file_envoy_config_core_v3_health_check } from './gen/envoy/config/core/v3/health_check_pb.js';
import { file_envoy_config_endpoint_v3_endpoint } from './gen/envoy/config/endpoint/v3/endpoint_pb.js';
import { file_envoy_config_listener_v3_listener } from './gen/envoy/config/listener/v3/listener_pb.js';
import { file_envoy_config_metrics_v3_stats } from './gen/envoy/config/metrics/v3/stats_pb.js';
import { file_envoy_config_rbac_v3_rbac } from './gen/envoy/config/rbac/v3/rbac_pb.js';
import { file_envoy_config_route_v3_route } from './gen/envoy/config/route/v3/route_pb.js';
import { file_envoy_config_trace_v3_datadog } from './gen/envoy/config/trace/v3/datadog_pb.js';
import { file_envoy_config_trace_v3_zipkin } from './gen/envoy/config/trace/v3/zipkin_pb.js';
import { file_envoy_extensions_access_loggers_file_v3_file } from './gen/envoy/extensions/access_loggers/file/v3/file_pb.js';
import { file_envoy_extensions_access_loggers_stream_v3_stream } from './gen/envoy/extensions/access_loggers/stream/v3/stream_pb.js';
import { file_envoy_extensions_filters_http_fault_v3_fault } from './gen/envoy/extensions/filters/http/fault/v3/fault_pb.js';
import { file_envoy_extensions_filters_http_health_check_v3_health_check } from './gen/envoy/extensions/filters/http/health_check/v3/health_check_pb.js';
import { file_envoy_extensions_filters_http_local_ratelimit_v3_local_rate_limit } from './gen/envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit_pb.js';
import { file_envoy_extensions_filters_http_rbac_v3_rbac } from './gen/envoy/extensions/filters/http/rbac/v3/rbac_pb.js';
import { file_envoy_extensions_filters_http_router_v3_router } from './gen/envoy/extensions/filters/http/router/v3/router_pb.js';
import { file_envoy_extensions_filters_listener_tls_inspector_v3_tls_inspector } from './gen/envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector_pb.js';
import { file_envoy_extensions_filters_network_http_connection_manager_v3_http_connection_manager } from './gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
import { file_envoy_extensions_filters_network_local_ratelimit_v3_local_rate_limit } from './gen/envoy/extensions/filters/network/local_ratelimit/v3/local_rate_limit_pb.js';
import { file_envoy_extensions_filters_network_rbac_v3_rbac } from './gen/envoy/extensions/filters/network/rbac/v3/rbac_pb.js';
import { file_envoy_extensions_filters_network_tcp_proxy_v3_tcp_proxy } from './gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.js';
import { file_envoy_extensions_retry_host_previous_hosts_v3_previous_hosts } from './gen/envoy/extensions/retry/host/previous_hosts/v3/previous_hosts_pb.js';
import { file_envoy_extensions_retry_priority_previous_priorities_v3_previous_priorities_config } from './gen/envoy/extensions/retry/priority/previous_priorities/v3/previous_priorities_config_pb.js';
import { file_envoy_extensions_transport_sockets_tls_v3_common } from './gen/envoy/extensions/transport_sockets/tls/v3/common_pb.js';
import { file_envoy_extensions_transport_sockets_tls_v3_secret } from './gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import { file_envoy_extensions_transport_sockets_tls_v3_tls } from './gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.js';
import { file_envoy_extensions_upstreams_http_v3_http_protocol_options } from './gen/envoy/extensions/upstreams/http/v3/http_protocol_options_pb.js';
import { file_envoy_service_discovery_v3_ads } from './gen/envoy/service/discovery/v3/ads_pb.js';
import { file_envoy_service_discovery_v3_discovery } from './gen/envoy/service/discovery/v3/discovery_pb.js';
import { file_envoy_service_secret_v3_sds } from './gen/envoy/service/secret/v3/sds_pb.js';
import { file_envoy_type_matcher_v3_metadata } from './gen/envoy/type/matcher/v3/metadata_pb.js';
import { file_envoy_type_matcher_v3_regex } from './gen/envoy/type/matcher/v3/regex_pb.js';
import { file_envoy_type_matcher_v3_string } from './gen/envoy/type/matcher/v3/string_pb.js';
import { file_envoy_type_v3_percent } from './gen/envoy/type/v3/percent_pb.js';
import { file_envoy_type_v3_range } from './gen/envoy/type/v3/range_pb.js';

export type { AccessLog, AccessLogFilter } from './gen/envoy/config/accesslog/v3/accesslog_pb.js';
export { AccessLogFilterSchema, AccessLogSchema } from './gen/envoy/config/accesslog/v3/accesslog_pb.js';
export type {
  Admin,
  Bootstrap,
  Bootstrap_DynamicResources,
  Bootstrap_StaticResources,
  ClusterManager,
  LayeredRuntime,
  RuntimeLayer,
} from './gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
export {
  AdminSchema,
  Bootstrap_DynamicResourcesSchema,
  Bootstrap_StaticResourcesSchema,
  BootstrapSchema,
  ClusterManagerSchema,
  LayeredRuntimeSchema,
  RuntimeLayerSchema,
} from './gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
export type {
  CircuitBreakers,
  CircuitBreakers_Thresholds,
  CircuitBreakers_Thresholds_RetryBudget,
} from './gen/envoy/config/cluster/v3/circuit_breaker_pb.js';
export {
  CircuitBreakers_Thresholds_RetryBudgetSchema,
  CircuitBreakers_ThresholdsSchema,
  CircuitBreakersSchema,
} from './gen/envoy/config/cluster/v3/circuit_breaker_pb.js';
export type {
  Cluster,
  Cluster_CommonLbConfig,
  Cluster_CommonLbConfig_LocalityWeightedLbConfig,
  Cluster_CommonLbConfig_ZoneAwareLbConfig,
  Cluster_EdsClusterConfig,
  Cluster_LbSubsetConfig,
  Cluster_LeastRequestLbConfig,
  Cluster_MaglevLbConfig,
  Cluster_RingHashLbConfig,
  Cluster_RoundRobinLbConfig,
  Cluster_SlowStartConfig,
  Cluster_TransportSocketMatch,
  LoadBalancingPolicy,
  UpstreamConnectionOptions,
} from './gen/envoy/config/cluster/v3/cluster_pb.js';
export {
  Cluster_ClusterProtocolSelection,
  Cluster_ClusterProtocolSelectionSchema,
  Cluster_CommonLbConfig_LocalityWeightedLbConfigSchema,
  Cluster_CommonLbConfig_ZoneAwareLbConfigSchema,
  Cluster_CommonLbConfigSchema,
  Cluster_DiscoveryType,
  Cluster_DiscoveryTypeSchema,
  Cluster_DnsLookupFamily,
  Cluster_DnsLookupFamilySchema,
  Cluster_EdsClusterConfigSchema,
  Cluster_LbPolicy,
  Cluster_LbPolicySchema,
  Cluster_LbSubsetConfigSchema,
  Cluster_LeastRequestLbConfigSchema,
  Cluster_MaglevLbConfigSchema,
  Cluster_RingHashLbConfig_HashFunction,
  Cluster_RingHashLbConfig_HashFunctionSchema,
  Cluster_RingHashLbConfigSchema,
  Cluster_RoundRobinLbConfigSchema,
  Cluster_SlowStartConfigSchema,
  Cluster_TransportSocketMatchSchema,
  ClusterSchema,
  LoadBalancingPolicySchema,
  UpstreamConnectionOptionsSchema,
} from './gen/envoy/config/cluster/v3/cluster_pb.js';
export type { OutlierDetection } from './gen/envoy/config/cluster/v3/outlier_detection_pb.js';
export { OutlierDetectionSchema } from './gen/envoy/config/cluster/v3/outlier_detection_pb.js';
export type {
  Address,
  BindConfig,
  CidrRange,
  EnvoyInternalAddress,
  Pipe,
  SocketAddress,
  TcpKeepalive,
} from './gen/envoy/config/core/v3/address_pb.js';
export {
  AddressSchema,
  BindConfigSchema,
  CidrRangeSchema,
  EnvoyInternalAddressSchema,
  PipeSchema,
  SocketAddress_Protocol,
  SocketAddress_ProtocolSchema,
  SocketAddressSchema,
  TcpKeepaliveSchema,
} from './gen/envoy/config/core/v3/address_pb.js';
export type {
  BuildVersion,
  ControlPlane,
  DataSource,
  HeaderValue,
  HeaderValueOption,
  Locality,
  Metadata,
  Node,
  RuntimeFeatureFlag,
  RuntimeFractionalPercent,
  RuntimeUInt32,
  TransportSocket,
  WatchedDirectory,
} from './gen/envoy/config/core/v3/base_pb.js';
export {
  BuildVersionSchema,
  ControlPlaneSchema,
  DataSourceSchema,
  HeaderValueOption_HeaderAppendAction,
  HeaderValueOption_HeaderAppendActionSchema,
  HeaderValueOptionSchema,
  HeaderValueSchema,
  LocalitySchema,
  MetadataSchema,
  NodeSchema,
  RequestMethod,
  RequestMethodSchema,
  RoutingPriority,
  RoutingPrioritySchema,
  RuntimeFeatureFlagSchema,
  RuntimeFractionalPercentSchema,
  RuntimeUInt32Schema,
  TrafficDirection,
  TrafficDirectionSchema,
  TransportSocketSchema,
  WatchedDirectorySchema,
} from './gen/envoy/config/core/v3/base_pb.js';
export type {
  AggregatedConfigSource,
  ApiConfigSource,
  ConfigSource,
  PathConfigSource,
  SelfConfigSource,
} from './gen/envoy/config/core/v3/config_source_pb.js';
export {
  AggregatedConfigSourceSchema,
  ApiConfigSource_ApiType,
  ApiConfigSource_ApiTypeSchema,
  ApiConfigSourceSchema,
  ApiVersion,
  ApiVersionSchema,
  ConfigSourceSchema,
  PathConfigSourceSchema,
  SelfConfigSourceSchema,
} from './gen/envoy/config/core/v3/config_source_pb.js';
export type { TypedExtensionConfig } from './gen/envoy/config/core/v3/extension_pb.js';
export { TypedExtensionConfigSchema } from './gen/envoy/config/core/v3/extension_pb.js';
export type { GrpcService, GrpcService_EnvoyGrpc } from './gen/envoy/config/core/v3/grpc_service_pb.js';
export { GrpcService_EnvoyGrpcSchema, GrpcServiceSchema } from './gen/envoy/config/core/v3/grpc_service_pb.js';
export type {
  HealthCheck,
  HealthCheck_GrpcHealthCheck,
  HealthCheck_HttpHealthCheck,
  HealthCheck_Payload,
  HealthCheck_TcpHealthCheck,
  HealthStatusSet,
} from './gen/envoy/config/core/v3/health_check_pb.js';
export {
  HealthCheck_GrpcHealthCheckSchema,
  HealthCheck_HttpHealthCheckSchema,
  HealthCheck_PayloadSchema,
  HealthCheck_TcpHealthCheckSchema,
  HealthCheckSchema,
  HealthStatus,
  HealthStatusSchema,
  HealthStatusSetSchema,
} from './gen/envoy/config/core/v3/health_check_pb.js';
export type {
  GrpcProtocolOptions,
  Http1ProtocolOptions,
  Http2ProtocolOptions,
  Http3ProtocolOptions,
  HttpProtocolOptions,
  KeepaliveSettings,
  TcpProtocolOptions,
  UpstreamHttpProtocolOptions,
} from './gen/envoy/config/core/v3/protocol_pb.js';
export {
  GrpcProtocolOptionsSchema,
  Http1ProtocolOptionsSchema,
  Http2ProtocolOptionsSchema,
  Http3ProtocolOptionsSchema,
  HttpProtocolOptionsSchema,
  KeepaliveSettingsSchema,
  TcpProtocolOptionsSchema,
  UpstreamHttpProtocolOptionsSchema,
} from './gen/envoy/config/core/v3/protocol_pb.js';
export type { SocketOption } from './gen/envoy/config/core/v3/socket_option_pb.js';
export {
  SocketOption_SocketState,
  SocketOption_SocketStateSchema,
  SocketOptionSchema,
} from './gen/envoy/config/core/v3/socket_option_pb.js';
export type {
  JsonFormatOptions,
  SubstitutionFormatString,
} from './gen/envoy/config/core/v3/substitution_format_string_pb.js';
export {
  JsonFormatOptionsSchema,
  SubstitutionFormatStringSchema,
} from './gen/envoy/config/core/v3/substitution_format_string_pb.js';
export type {
  Endpoint,
  Endpoint_HealthCheckConfig,
  LbEndpoint,
  LocalityLbEndpoints,
} from './gen/envoy/config/endpoint/v3/endpoint_components_pb.js';
export {
  Endpoint_HealthCheckConfigSchema,
  EndpointSchema,
  LbEndpointSchema,
  LocalityLbEndpointsSchema,
} from './gen/envoy/config/endpoint/v3/endpoint_components_pb.js';
export type {
  ClusterLoadAssignment,
  ClusterLoadAssignment_Policy,
} from './gen/envoy/config/endpoint/v3/endpoint_pb.js';
export {
  ClusterLoadAssignment_PolicySchema,
  ClusterLoadAssignmentSchema,
} from './gen/envoy/config/endpoint/v3/endpoint_pb.js';
export type {
  Filter,
  FilterChain,
  FilterChainMatch,
  ListenerFilter,
  ListenerFilterChainMatchPredicate,
} from './gen/envoy/config/listener/v3/listener_components_pb.js';
export {
  FilterChainMatch_ConnectionSourceType,
  FilterChainMatch_ConnectionSourceTypeSchema,
  FilterChainMatchSchema,
  FilterChainSchema,
  FilterSchema,
  ListenerFilterChainMatchPredicateSchema,
  ListenerFilterSchema,
} from './gen/envoy/config/listener/v3/listener_components_pb.js';
export type { Listener } from './gen/envoy/config/listener/v3/listener_pb.js';
export {
  Listener_DrainType,
  Listener_DrainTypeSchema,
  ListenerSchema,
} from './gen/envoy/config/listener/v3/listener_pb.js';
export type { StatsConfig, StatsMatcher, StatsSink, TagSpecifier } from './gen/envoy/config/metrics/v3/stats_pb.js';
export {
  StatsConfigSchema,
  StatsMatcherSchema,
  StatsSinkSchema,
  TagSpecifierSchema,
} from './gen/envoy/config/metrics/v3/stats_pb.js';
export type {
  Permission,
  Permission_Set,
  Policy,
  Principal,
  Principal_Authenticated,
  Principal_Set,
  RBAC as RBACConfig,
} from './gen/envoy/config/rbac/v3/rbac_pb.js';
export {
  Permission_SetSchema,
  PermissionSchema,
  PolicySchema,
  Principal_AuthenticatedSchema,
  Principal_SetSchema,
  PrincipalSchema,
  RBAC_Action as RBACConfig_Action,
  RBAC_ActionSchema as RBACConfig_ActionSchema,
  RBACSchema as RBACConfigSchema,
} from './gen/envoy/config/rbac/v3/rbac_pb.js';
export type {
  CorsPolicy,
  Decorator,
  DirectResponseAction,
  FilterConfig,
  HeaderMatcher,
  HedgePolicy,
  NonForwardingAction,
  QueryParameterMatcher,
  RedirectAction,
  RetryPolicy,
  RetryPolicy_RateLimitedRetryBackOff,
  RetryPolicy_ResetHeader,
  RetryPolicy_RetryBackOff,
  RetryPolicy_RetryHostPredicate,
  Route,
  RouteAction,
  RouteAction_HashPolicy,
  RouteAction_MaxStreamDuration,
  RouteAction_RequestMirrorPolicy,
  RouteAction_UpgradeConfig,
  RouteMatch,
  VirtualHost,
  WeightedCluster,
  WeightedCluster_ClusterWeight,
} from './gen/envoy/config/route/v3/route_components_pb.js';
export {
  CorsPolicySchema,
  DecoratorSchema,
  DirectResponseActionSchema,
  FilterConfigSchema,
  HeaderMatcherSchema,
  HedgePolicySchema,
  NonForwardingActionSchema,
  QueryParameterMatcherSchema,
  RedirectAction_RedirectResponseCode,
  RedirectAction_RedirectResponseCodeSchema,
  RedirectActionSchema,
  RetryPolicy_RateLimitedRetryBackOffSchema,
  RetryPolicy_ResetHeaderFormat,
  RetryPolicy_ResetHeaderFormatSchema,
  RetryPolicy_ResetHeaderSchema,
  RetryPolicy_RetryBackOffSchema,
  RetryPolicy_RetryHostPredicateSchema,
  RetryPolicySchema,
  RouteAction_ClusterNotFoundResponseCode,
  RouteAction_ClusterNotFoundResponseCodeSchema,
  RouteAction_HashPolicySchema,
  RouteAction_MaxStreamDurationSchema,
  RouteAction_RequestMirrorPolicySchema,
  RouteAction_UpgradeConfigSchema,
  RouteActionSchema,
  RouteMatchSchema,
  RouteSchema,
  VirtualHost_TlsRequirementType,
  VirtualHost_TlsRequirementTypeSchema,
  VirtualHostSchema,
  WeightedCluster_ClusterWeightSchema,
  WeightedClusterSchema,
} from './gen/envoy/config/route/v3/route_components_pb.js';
export type { RouteConfiguration } from './gen/envoy/config/route/v3/route_pb.js';
export { RouteConfigurationSchema } from './gen/envoy/config/route/v3/route_pb.js';
export type { DatadogConfig } from './gen/envoy/config/trace/v3/datadog_pb.js';
export { DatadogConfigSchema } from './gen/envoy/config/trace/v3/datadog_pb.js';
export type { Tracing_Http } from './gen/envoy/config/trace/v3/http_tracer_pb.js';
export { Tracing_HttpSchema } from './gen/envoy/config/trace/v3/http_tracer_pb.js';
export type { ZipkinConfig } from './gen/envoy/config/trace/v3/zipkin_pb.js';
export {
  ZipkinConfig_CollectorEndpointVersion,
  ZipkinConfig_CollectorEndpointVersionSchema,
  ZipkinConfigSchema,
} from './gen/envoy/config/trace/v3/zipkin_pb.js';
export type { FileAccessLog } from './gen/envoy/extensions/access_loggers/file/v3/file_pb.js';
export { FileAccessLogSchema } from './gen/envoy/extensions/access_loggers/file/v3/file_pb.js';
export type { StderrAccessLog, StdoutAccessLog } from './gen/envoy/extensions/access_loggers/stream/v3/stream_pb.js';
export {
  StderrAccessLogSchema,
  StdoutAccessLogSchema,
} from './gen/envoy/extensions/access_loggers/stream/v3/stream_pb.js';
export type {
  LocalRateLimitDescriptor,
  RateLimitDescriptor,
  RateLimitDescriptor_Entry,
} from './gen/envoy/extensions/common/ratelimit/v3/ratelimit_pb.js';
export {
  LocalRateLimitDescriptorSchema,
  RateLimitDescriptor_EntrySchema,
  RateLimitDescriptorSchema,
} from './gen/envoy/extensions/common/ratelimit/v3/ratelimit_pb.js';
export type { FaultDelay, FaultRateLimit } from './gen/envoy/extensions/filters/common/fault/v3/fault_pb.js';
export { FaultDelaySchema, FaultRateLimitSchema } from './gen/envoy/extensions/filters/common/fault/v3/fault_pb.js';
export type { FaultAbort, HTTPFault } from './gen/envoy/extensions/filters/http/fault/v3/fault_pb.js';
export { FaultAbortSchema, HTTPFaultSchema } from './gen/envoy/extensions/filters/http/fault/v3/fault_pb.js';
export type { HealthCheck as HealthCheckFilter } from './gen/envoy/extensions/filters/http/health_check/v3/health_check_pb.js';
export { HealthCheckSchema as HealthCheckFilterSchema } from './gen/envoy/extensions/filters/http/health_check/v3/health_check_pb.js';
export type { LocalRateLimit as HttpLocalRateLimit } from './gen/envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit_pb.js';
export { LocalRateLimitSchema as HttpLocalRateLimitSchema } from './gen/envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit_pb.js';
export type { RBAC, RBACPerRoute } from './gen/envoy/extensions/filters/http/rbac/v3/rbac_pb.js';
export { RBACPerRouteSchema, RBACSchema } from './gen/envoy/extensions/filters/http/rbac/v3/rbac_pb.js';
export type { Router } from './gen/envoy/extensions/filters/http/router/v3/router_pb.js';
export { RouterSchema } from './gen/envoy/extensions/filters/http/router/v3/router_pb.js';
export type { TlsInspector } from './gen/envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector_pb.js';
export { TlsInspectorSchema } from './gen/envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector_pb.js';
export type {
  HttpConnectionManager,
  HttpConnectionManager_InternalAddressConfig,
  HttpConnectionManager_SetCurrentClientCertDetails,
  HttpConnectionManager_Tracing,
  HttpConnectionManager_UpgradeConfig,
  HttpFilter,
  LocalReplyConfig,
  Rds,
  ResponseMapper,
} from './gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
export {
  HttpConnectionManager_CodecType,
  HttpConnectionManager_CodecTypeSchema,
  HttpConnectionManager_ForwardClientCertDetails,
  HttpConnectionManager_ForwardClientCertDetailsSchema,
  HttpConnectionManager_InternalAddressConfigSchema,
  HttpConnectionManager_PathWithEscapedSlashesAction,
  HttpConnectionManager_PathWithEscapedSlashesActionSchema,
  HttpConnectionManager_ServerHeaderTransformation,
  HttpConnectionManager_ServerHeaderTransformationSchema,
  HttpConnectionManager_SetCurrentClientCertDetailsSchema,
  HttpConnectionManager_TracingSchema,
  HttpConnectionManager_UpgradeConfigSchema,
  HttpConnectionManagerSchema,
  HttpFilterSchema,
  LocalReplyConfigSchema,
  RdsSchema,
  ResponseMapperSchema,
} from './gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
export type { LocalRateLimit as NetworkLocalRateLimit } from './gen/envoy/extensions/filters/network/local_ratelimit/v3/local_rate_limit_pb.js';
export { LocalRateLimitSchema as NetworkLocalRateLimitSchema } from './gen/envoy/extensions/filters/network/local_ratelimit/v3/local_rate_limit_pb.js';
export type { RBAC as NetworkRBAC } from './gen/envoy/extensions/filters/network/rbac/v3/rbac_pb.js';
export {
  RBAC_EnforcementType as NetworkRBAC_EnforcementType,
  RBAC_EnforcementTypeSchema as NetworkRBAC_EnforcementTypeSchema,
  RBACSchema as NetworkRBACSchema,
} from './gen/envoy/extensions/filters/network/rbac/v3/rbac_pb.js';
export type {
  TcpProxy,
  TcpProxy_WeightedCluster,
  TcpProxy_WeightedCluster_ClusterWeight,
} from './gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.js';
export {
  TcpProxy_WeightedCluster_ClusterWeightSchema,
  TcpProxy_WeightedClusterSchema,
  TcpProxySchema,
} from './gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.js';
export type { PreviousHostsPredicate } from './gen/envoy/extensions/retry/host/previous_hosts/v3/previous_hosts_pb.js';
export { PreviousHostsPredicateSchema } from './gen/envoy/extensions/retry/host/previous_hosts/v3/previous_hosts_pb.js';
export type { PreviousPrioritiesConfig } from './gen/envoy/extensions/retry/priority/previous_priorities/v3/previous_priorities_config_pb.js';
export { PreviousPrioritiesConfigSchema } from './gen/envoy/extensions/retry/priority/previous_priorities/v3/previous_priorities_config_pb.js';
export type {
  CertificateValidationContext,
  SubjectAltNameMatcher,
  TlsCertificate,
  TlsParameters,
} from './gen/envoy/extensions/transport_sockets/tls/v3/common_pb.js';
export {
  CertificateValidationContextSchema,
  SubjectAltNameMatcher_SanType,
  SubjectAltNameMatcher_SanTypeSchema,
  SubjectAltNameMatcherSchema,
  TlsCertificateSchema,
  TlsParameters_TlsProtocol,
  TlsParameters_TlsProtocolSchema,
  TlsParametersSchema,
} from './gen/envoy/extensions/transport_sockets/tls/v3/common_pb.js';
export type {
  GenericSecret,
  SdsSecretConfig,
  Secret,
} from './gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
export {
  GenericSecretSchema,
  SdsSecretConfigSchema,
  SecretSchema,
} from './gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
export type {
  CommonTlsContext,
  CommonTlsContext_CombinedCertificateValidationContext,
  DownstreamTlsContext,
  UpstreamTlsContext,
} from './gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.js';
export {
  CommonTlsContext_CombinedCertificateValidationContextSchema,
  CommonTlsContextSchema,
  DownstreamTlsContextSchema,
  UpstreamTlsContextSchema,
} from './gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.js';
export type {
  HttpProtocolOptions as UpstreamsHttpProtocolOptions,
  HttpProtocolOptions_AutoHttpConfig as UpstreamsHttpProtocolOptions_AutoHttpConfig,
  HttpProtocolOptions_ExplicitHttpConfig as UpstreamsHttpProtocolOptions_ExplicitHttpConfig,
  HttpProtocolOptions_UseDownstreamHttpConfig as UpstreamsHttpProtocolOptions_UseDownstreamHttpConfig,
} from './gen/envoy/extensions/upstreams/http/v3/http_protocol_options_pb.js';
export {
  HttpProtocolOptions_AutoHttpConfigSchema as UpstreamsHttpProtocolOptions_AutoHttpConfigSchema,
  HttpProtocolOptions_ExplicitHttpConfigSchema as UpstreamsHttpProtocolOptions_ExplicitHttpConfigSchema,
  HttpProtocolOptions_UseDownstreamHttpConfigSchema as UpstreamsHttpProtocolOptions_UseDownstreamHttpConfigSchema,
  HttpProtocolOptionsSchema as UpstreamsHttpProtocolOptionsSchema,
} from './gen/envoy/extensions/upstreams/http/v3/http_protocol_options_pb.js';
export { AggregatedDiscoveryService } from './gen/envoy/service/discovery/v3/ads_pb.js';
export type {
  DeltaDiscoveryRequest,
  DeltaDiscoveryResponse,
  DiscoveryRequest,
  DiscoveryResponse,
  Resource,
} from './gen/envoy/service/discovery/v3/discovery_pb.js';
export {
  DeltaDiscoveryRequestSchema,
  DeltaDiscoveryResponseSchema,
  DiscoveryRequestSchema,
  DiscoveryResponseSchema,
  ResourceSchema,
} from './gen/envoy/service/discovery/v3/discovery_pb.js';
export { SecretDiscoveryService } from './gen/envoy/service/secret/v3/sds_pb.js';
export type { MetadataMatcher, MetadataMatcher_PathSegment } from './gen/envoy/type/matcher/v3/metadata_pb.js';
export { MetadataMatcher_PathSegmentSchema, MetadataMatcherSchema } from './gen/envoy/type/matcher/v3/metadata_pb.js';
export type { PathMatcher } from './gen/envoy/type/matcher/v3/path_pb.js';
export { PathMatcherSchema } from './gen/envoy/type/matcher/v3/path_pb.js';
export type { RegexMatchAndSubstitute, RegexMatcher } from './gen/envoy/type/matcher/v3/regex_pb.js';
export { RegexMatchAndSubstituteSchema, RegexMatcherSchema } from './gen/envoy/type/matcher/v3/regex_pb.js';
export type { ListStringMatcher, StringMatcher } from './gen/envoy/type/matcher/v3/string_pb.js';
export { ListStringMatcherSchema, StringMatcherSchema } from './gen/envoy/type/matcher/v3/string_pb.js';
export type { ListMatcher, ValueMatcher } from './gen/envoy/type/matcher/v3/value_pb.js';
export { ListMatcherSchema, ValueMatcherSchema } from './gen/envoy/type/matcher/v3/value_pb.js';
export type {
  CustomTag,
  CustomTag_Environment,
  CustomTag_Header,
  CustomTag_Literal,
} from './gen/envoy/type/tracing/v3/custom_tag_pb.js';
export {
  CustomTag_EnvironmentSchema,
  CustomTag_HeaderSchema,
  CustomTag_LiteralSchema,
  CustomTagSchema,
} from './gen/envoy/type/tracing/v3/custom_tag_pb.js';
export { CodecClientType, CodecClientTypeSchema } from './gen/envoy/type/v3/http_pb.js';
export type { HttpStatus } from './gen/envoy/type/v3/http_status_pb.js';
export {
  HttpStatusSchema,
  StatusCode as HttpStatusCode,
  StatusCodeSchema as HttpStatusCodeSchema,
} from './gen/envoy/type/v3/http_status_pb.js';
export type { FractionalPercent, Percent } from './gen/envoy/type/v3/percent_pb.js';
export {
  FractionalPercent_DenominatorType,
  FractionalPercent_DenominatorTypeSchema,
  FractionalPercentSchema,
  PercentSchema,
} from './gen/envoy/type/v3/percent_pb.js';
export type { DoubleRange, Int32Range, Int64Range } from './gen/envoy/type/v3/range_pb.js';
export { DoubleRangeSchema, Int32RangeSchema, Int64RangeSchema } from './gen/envoy/type/v3/range_pb.js';
export type { TokenBucket } from './gen/envoy/type/v3/token_bucket_pb.js';
export { TokenBucketSchema } from './gen/envoy/type/v3/token_bucket_pb.js';
export type { Status as RpcStatus } from './gen/google/rpc/status_pb.js';
export { StatusSchema as RpcStatusSchema } from './gen/google/rpc/status_pb.js';

/**
 * Every file generated from the Envoy protos (and what they import, well-known types included).
 * Keep in step with PATHS in proto/generate.sh; envoy.test.ts checks that nothing generated is
 * missing.
 */
const envoyFiles = withDependencies([
  file_envoy_service_discovery_v3_ads,
  file_envoy_service_discovery_v3_discovery,
  file_envoy_service_secret_v3_sds,
  file_envoy_config_bootstrap_v3_bootstrap,
  file_envoy_config_listener_v3_listener,
  file_envoy_config_route_v3_route,
  file_envoy_config_cluster_v3_cluster,
  file_envoy_config_endpoint_v3_endpoint,
  file_envoy_config_core_v3_health_check,
  file_envoy_config_metrics_v3_stats,
  file_envoy_config_rbac_v3_rbac,
  file_envoy_config_trace_v3_zipkin,
  file_envoy_config_trace_v3_datadog,
  file_envoy_extensions_filters_network_http_connection_manager_v3_http_connection_manager,
  file_envoy_extensions_filters_network_tcp_proxy_v3_tcp_proxy,
  file_envoy_extensions_filters_network_rbac_v3_rbac,
  file_envoy_extensions_filters_network_local_ratelimit_v3_local_rate_limit,
  file_envoy_extensions_filters_http_router_v3_router,
  file_envoy_extensions_filters_http_rbac_v3_rbac,
  file_envoy_extensions_filters_http_fault_v3_fault,
  file_envoy_extensions_filters_http_local_ratelimit_v3_local_rate_limit,
  file_envoy_extensions_filters_http_health_check_v3_health_check,
  file_envoy_extensions_filters_listener_tls_inspector_v3_tls_inspector,
  file_envoy_extensions_transport_sockets_tls_v3_tls,
  file_envoy_extensions_transport_sockets_tls_v3_common,
  file_envoy_extensions_transport_sockets_tls_v3_secret,
  file_envoy_extensions_access_loggers_file_v3_file,
  file_envoy_extensions_access_loggers_stream_v3_stream,
  file_envoy_extensions_upstreams_http_v3_http_protocol_options,
  file_envoy_extensions_retry_host_previous_hosts_v3_previous_hosts,
  file_envoy_extensions_retry_priority_previous_priorities_v3_previous_priorities_config,
  file_envoy_type_matcher_v3_string,
  file_envoy_type_matcher_v3_regex,
  file_envoy_type_matcher_v3_metadata,
  file_envoy_type_v3_percent,
  file_envoy_type_v3_range,
]);

/**
 * Resolves every Envoy message Strait generates. Pass it to `anyUnpack` and to
 * `toJson`/`fromJson` (`{ registry: envoyRegistry }`) so that `Any` fields convert.
 */
export const envoyRegistry: Registry = createRegistry(...envoyFiles);

/** The `type_url` of a message packed in an `Any` (and of an xDS resource type). */
export function typeUrlOf(schema: DescMessage): string {
  return `type.googleapis.com/${schema.typeName}`;
}

/** xDS type URL of listeners (LDS). */
export const LISTENER_TYPE_URL = 'type.googleapis.com/envoy.config.listener.v3.Listener';
/** xDS type URL of route configurations (RDS). */
export const ROUTE_CONFIGURATION_TYPE_URL = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration';
/** xDS type URL of clusters (CDS). */
export const CLUSTER_TYPE_URL = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';
/** xDS type URL of endpoints (EDS). */
export const CLUSTER_LOAD_ASSIGNMENT_TYPE_URL = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment';
/** xDS type URL of secrets (SDS). */
export const SECRET_TYPE_URL = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';
