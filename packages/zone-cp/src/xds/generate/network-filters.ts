/**
 * The terminal network filters of Strait's listeners: an HTTP connection manager with an inline
 * route configuration (HTTP protocols) or a TCP proxy (tcp), both ending at one cluster.
 */

import { create } from '@bufbuild/protobuf';
import {
  type Filter,
  FilterSchema,
  HttpConnectionManager_ForwardClientCertDetails,
  HttpConnectionManagerSchema,
  type HttpFilter,
  HttpFilterSchema,
  type RetryPolicy,
  type RouteConfiguration,
  RouteConfigurationSchema,
  RouterSchema,
  TcpProxySchema,
} from '@strait/proto/envoy';
import { Extensions, typedConfig } from './envoy-parts.js';

/** Options of {@link routeConfiguration}. */
export interface RouteToClusterOptions {
  /** Name of the route configuration. */
  readonly name: string;
  /** Name of its single virtual host (matches every domain). */
  readonly virtualHost: string;
  readonly cluster: string;
  /** Path prefix to match; `/` when unset. */
  readonly prefix?: string;
  /** Replaces the matched prefix before forwarding. */
  readonly prefixRewrite?: string;
  /** When and how a request is sent again. */
  readonly retryPolicy?: RetryPolicy;
}

/** A route configuration sending every request (or every request under `prefix`) to one cluster. */
export function routeConfiguration(options: RouteToClusterOptions): RouteConfiguration {
  return create(RouteConfigurationSchema, {
    name: options.name,
    // The clusters are generated together with the listener; don't make Envoy reject a route
    // whose cluster arrives a moment later over CDS.
    validateClusters: false,
    virtualHosts: [
      {
        name: options.virtualHost,
        domains: ['*'],
        routes: [
          {
            match: { pathSpecifier: { case: 'prefix', value: options.prefix ?? '/' } },
            action: {
              case: 'route',
              value: {
                clusterSpecifier: { case: 'cluster', value: options.cluster },
                ...(options.prefixRewrite === undefined ? {} : { prefixRewrite: options.prefixRewrite }),
                ...(options.retryPolicy === undefined ? {} : { retryPolicy: options.retryPolicy }),
              },
            },
          },
        ],
      },
    ],
  });
}

/** Options of {@link httpConnectionManager}. */
export interface HttpConnectionManagerOptions {
  readonly statPrefix: string;
  readonly routeConfig: RouteConfiguration;
  /** HTTP filters to run before the router. */
  readonly httpFilters?: readonly HttpFilter[];
  /**
   * Set on mTLS inbounds: replace any `x-forwarded-client-cert` from the caller with the URI
   * SANs of the certificate it presented, so the service can trust the header.
   */
  readonly forwardClientCert?: boolean;
}

/** The HTTP connection manager network filter, routes inline, router last. */
export function httpConnectionManager(options: HttpConnectionManagerOptions): Filter {
  const router = create(HttpFilterSchema, {
    name: Extensions.router,
    configType: { case: 'typedConfig', value: typedConfig(RouterSchema, {}) },
  });
  const hcm = typedConfig(HttpConnectionManagerSchema, {
    statPrefix: options.statPrefix,
    routeSpecifier: { case: 'routeConfig', value: options.routeConfig },
    httpFilters: [...(options.httpFilters ?? []), router],
    ...(options.forwardClientCert === true
      ? {
          forwardClientCertDetails: HttpConnectionManager_ForwardClientCertDetails.SANITIZE_SET,
          setCurrentClientCertDetails: { uri: true },
        }
      : {}),
  });
  return create(FilterSchema, {
    name: Extensions.httpConnectionManager,
    configType: { case: 'typedConfig', value: hcm },
  });
}

/**
 * The TCP proxy network filter to one cluster. `connectAttempts` (Envoy's default 1) is how many
 * endpoints it tries, one after another, before it gives up on the downstream connection.
 */
export function tcpProxy(statPrefix: string, cluster: string, connectAttempts?: number): Filter {
  return create(FilterSchema, {
    name: Extensions.tcpProxy,
    configType: {
      case: 'typedConfig',
      value: typedConfig(TcpProxySchema, {
        statPrefix,
        clusterSpecifier: { case: 'cluster', value: cluster },
        ...(connectAttempts === undefined ? {} : { maxConnectAttempts: connectAttempts }),
      }),
    },
  });
}
