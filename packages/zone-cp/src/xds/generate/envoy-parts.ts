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
  Cluster_DiscoveryType,
  ClusterSchema,
  type ConfigSource,
  ConfigSourceSchema,
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
