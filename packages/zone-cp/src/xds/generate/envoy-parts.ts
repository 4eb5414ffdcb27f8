/**
 * Small Envoy building blocks every generator uses: addresses, the ADS config source, typed
 * extension configs, durations and static clusters. Each call builds fresh messages, so no two
 * resources share a mutable object.
 */

import { create, type DescMessage, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import { type Any, anyPack, type Duration, DurationSchema } from '@bufbuild/protobuf/wkt';
import {
  type Address,
  AddressSchema,
  ApiVersion,
  type Cluster,
  type Cluster_CommonLbConfig,
  Cluster_CommonLbConfigSchema,
  Cluster_DiscoveryType,
  ClusterSchema,
  type ConfigSource,
  ConfigSourceSchema,
  type OutlierDetection,
  OutlierDetectionSchema,
  PreviousHostsPredicateSchema,
  PreviousPrioritiesConfigSchema,
  type RetryPolicy,
  RetryPolicySchema,
  UpstreamsHttpProtocolOptionsSchema,
} from '@strait/proto/envoy';
import type { ServiceProtocol } from './proxy-context.js';

/** Names of the Envoy extensions Strait configures. */
export const Extensions = Object.freeze({
  httpConnectionManager: 'envoy.filters.network.http_connection_manager',
  tcpProxy: 'envoy.filters.network.tcp_proxy',
  networkRbac: 'envoy.filters.network.rbac',
  httpRbac: 'envoy.filters.http.rbac',
  router: 'envoy.filters.http.router',
  tlsInspector: 'envoy.filters.listener.tls_inspector',
  tlsTransportSocket: 'envoy.transport_sockets.tls',
  previousHosts: 'envoy.retry_host_predicates.previous_hosts',
  previousPriorities: 'envoy.retry_priorities.previous_priorities',
  httpProtocolOptions: 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
});

/** A TCP socket address. */
export function socketAddress(address: string, port: number): Address {
  return create(AddressSchema, {
    address: { case: 'socketAddress', value: { address, portSpecifier: { case: 'portValue', value: port } } },
  });
}

/** "Fetch this over the ADS stream the bootstrap set up" (EDS and SDS). */
export function adsConfigSource(): ConfigSource {
  return create(ConfigSourceSchema, {
    configSourceSpecifier: { case: 'ads', value: {} },
    resourceApiVersion: ApiVersion.V3,
  });
}

/** A message packed as an `Any`, for `typed_config` fields. */
export function typedConfig<Desc extends DescMessage>(schema: Desc, init: MessageInitShape<Desc>): Any {
  return anyPack(schema, create(schema, init) as MessageShape<Desc>);
}

/** A duration of whole milliseconds. */
export function durationMs(ms: number): Duration {
  return create(DurationSchema, { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 });
}

/** Whether the protocol is carried over HTTP (and so gets an HTTP connection manager). */
export function isHttp(protocol: ServiceProtocol): boolean {
  return protocol !== 'tcp';
}

/** Whether the upstream must be spoken to in HTTP/2 (gRPC needs it; http2 says so). */
export function isHttp2(protocol: ServiceProtocol): boolean {
  return protocol === 'http2' || protocol === 'grpc';
}

/** `typed_extension_protocol_options` making a cluster talk HTTP/2 to its endpoints. */
export function http2ProtocolOptions(): Record<string, Any> {
  return {
    [Extensions.httpProtocolOptions]: typedConfig(UpstreamsHttpProtocolOptionsSchema, {
      upstreamProtocolOptions: {
        case: 'explicitHttpConfig',
        value: { protocolConfig: { case: 'http2ProtocolOptions', value: {} } },
      },
    }),
  };
}

/** Options of {@link staticCluster}. */
export interface StaticClusterOptions {
  readonly name: string;
  readonly altStatName: string;
  readonly address: string;
  readonly port: number;
  readonly connectTimeoutMs: number;
  readonly protocol: ServiceProtocol;
}

/** A STATIC cluster with one endpoint (the local service, the admin API). */
export function staticCluster(options: StaticClusterOptions): Cluster {
  return create(ClusterSchema, {
    name: options.name,
    altStatName: options.altStatName,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
    connectTimeout: durationMs(options.connectTimeoutMs),
    loadAssignment: {
      clusterName: options.name,
      endpoints: [
        {
          lbEndpoints: [
            { hostIdentifier: { case: 'endpoint', value: { address: socketAddress(options.address, options.port) } } },
          ],
        },
      ],
    },
    typedExtensionProtocolOptions: isHttp2(options.protocol) ? http2ProtocolOptions() : {},
  });
}

/** Failed connections in a row (refused, reset, timed out) after which an endpoint is ejected. */
export const EJECT_AFTER_CONNECT_FAILURES = 5;

/** The cluster fields that turn on {@link passiveHealthChecking}. */
export interface PassiveHealthChecking {
  readonly outlierDetection: OutlierDetection;
  readonly commonLbConfig: Cluster_CommonLbConfig;
}

/**
 * Passive health checking of a cluster's endpoints, on connection failures only: what the
 * endpoint's application answers (a 500, a 503) never ejects it, so a service that fails
 * requests is not taken for one that cannot be reached. An ejected endpoint gets no traffic for
 * 30 s (longer each time it is ejected again), and Envoy's usual fallbacks apply: with every
 * local endpoint ejected the other zones take the traffic (EDS priorities), and with every
 * endpoint of a cluster ejected Envoy tries them all anyway (panic), so an endpoint that comes
 * back at the same address is used again at once.
 *
 * The control plane learns that a proxy or an ingress is gone only from its own streams, and
 * not at all when a whole zone (its CP and its ingress) goes down, or when the global cannot
 * tell a dead zone from one it is merely cut off from; the proxy that fails to connect knows
 * first and for certain.
 *
 * Host updates apply at once (`update_merge_window` 0 instead of 1 s): an ejection merged into
 * a window that an EDS change had opened was seen never to reach the load balancer (Envoy 1.40:
 * the ejected endpoint kept its share of the traffic until the next EDS change).
 */
export function passiveHealthChecking(): PassiveHealthChecking {
  return {
    outlierDetection: create(OutlierDetectionSchema, {
      splitExternalLocalOriginErrors: true,
      consecutiveLocalOriginFailure: EJECT_AFTER_CONNECT_FAILURES,
      // Only connection failures eject: the detectors on upstream answers are turned off.
      enforcingConsecutive5xx: 0,
      enforcingConsecutiveGatewayFailure: 0,
      enforcingSuccessRate: 0,
      enforcingLocalOriginSuccessRate: 0,
      interval: durationMs(5_000),
      baseEjectionTime: durationMs(30_000),
      maxEjectionPercent: 100,
    }),
    commonLbConfig: create(Cluster_CommonLbConfigSchema, { updateMergeWindow: durationMs(0) }),
  };
}

/** Attempts after the first for a request that could not reach an endpoint. */
export const RETRIES_ON_CONNECT_FAILURE = 2;

/**
 * The retry policy of a route to a service, for requests that never reached the application:
 * the connection to the chosen endpoint failed (refused, reset or timed out while connecting,
 * TLS handshake failed) or an HTTP/2 endpoint refused the stream. Sending such a request again
 * is safe whatever its method. The retry goes to another endpoint (`previous_hosts`) and skips a
 * priority it already failed in (`previous_priorities`), so a local instance that died a moment
 * ago sends the request on to another zone at once rather than failing it, until the control
 * plane removes the instance or outlier detection ejects it.
 */
export function connectFailureRetryPolicy(): RetryPolicy {
  return create(RetryPolicySchema, {
    retryOn: 'connect-failure,refused-stream',
    numRetries: RETRIES_ON_CONNECT_FAILURE,
    retryHostPredicate: [
      {
        name: Extensions.previousHosts,
        configType: { case: 'typedConfig', value: typedConfig(PreviousHostsPredicateSchema, {}) },
      },
    ],
    hostSelectionRetryMaxAttempts: 3n,
    retryPriority: {
      name: Extensions.previousPriorities,
      configType: { case: 'typedConfig', value: typedConfig(PreviousPrioritiesConfigSchema, { updateFrequency: 1 }) },
    },
  });
}
