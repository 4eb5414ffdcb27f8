/**
 * One listener per inbound, on `<dataplane address>:<port>`, forwarding to the local service's
 * cluster. With mesh mTLS the listener terminates TLS (client certificate required) and RBAC
 * renders the inbound's traffic permissions; PERMISSIVE adds a plaintext filter chain picked by
 * the TLS inspector. Without mTLS there is neither TLS nor RBAC: Kuma ignores
 * MeshTrafficPermission when callers have no identity to check.
 *
 * The filter chains are a pure function of {@link InboundChainsInput} alone, so proxies of one
 * service (whose inbounds differ only in address) can share them: see `generate-proxy.ts`.
 */

import { create } from '@bufbuild/protobuf';
import {
  type Filter,
  type FilterChain,
  FilterChainSchema,
  type Listener,
  ListenerFilterSchema,
  ListenerSchema,
  TlsInspectorSchema,
  TrafficDirection,
} from '@strait/proto/envoy';
import type { InboundPermissions } from '@strait/shared';
import { Extensions, isHttp, socketAddress, typedConfig } from './envoy-parts.js';
import { inboundListenerName, inboundRouteName, localClusterName, statPrefix } from './names.js';
import { httpConnectionManager, routeConfiguration, tcpProxy } from './network-filters.js';
import type { Inbound, MeshMtls, ProxyContext, ServiceProtocol } from './proxy-context.js';
import { httpRbacFilter, networkRbacFilter } from './rbac.js';
import { inboundTlsTransportSocketOf, secretNamesOf } from './tls-context.js';

/**
 * Everything an inbound's filter chains are generated from (plain data: its JSON identifies
 * the chains). The listener around them adds only its name, address and the TLS inspector.
 */
export interface InboundChainsInput {
  readonly mesh: string;
  /** The mesh's mTLS; absent: no TLS, no RBAC. */
  readonly mtls?: MeshMtls;
  /** SDS name of the proxy's certificate. */
  readonly certSecretName: string;
  /** SDS name of the mesh CA. */
  readonly caSecretName: string;
  readonly servicePort: number;
  readonly service: string;
  readonly protocol: ServiceProtocol;
  readonly permissions: InboundPermissions;
  /** TCP inbounds only: the network RBAC filter's stats are prefixed with the listener's name. */
  readonly listenerName?: string;
}

/** What the filter chains of `inbound` on this proxy are generated from. */
export function inboundChainsInput(ctx: ProxyContext, inbound: Inbound): InboundChainsInput {
  const names = secretNamesOf(ctx);
  return {
    mesh: ctx.mesh.name,
    ...(ctx.mesh.mtls === undefined
      ? {}
      : { mtls: { backendName: ctx.mesh.mtls.backendName, mode: ctx.mesh.mtls.mode } }),
    certSecretName: names.cert,
    caSecretName: names.ca,
    servicePort: inbound.servicePort,
    service: inbound.service,
    protocol: inbound.protocol,
    permissions: inbound.permissions,
    ...(isHttp(inbound.protocol) ? {} : { listenerName: inboundListenerName(ctx.dataplane.address, inbound.port) }),
  };
}

/** The network filters of one filter chain; `enforce` adds RBAC. */
function inboundFilters(input: InboundChainsInput, enforce: boolean): Filter[] {
  const cluster = localClusterName(input.servicePort);
  const prefix = statPrefix(cluster);
  if (!isHttp(input.protocol)) {
    const rbac = enforce
      ? [networkRbacFilter(input.mesh, input.permissions, `${statPrefix(input.listenerName ?? '')}.`)]
      : [];
    return [...rbac, tcpProxy(prefix, cluster)];
  }
  return [
    httpConnectionManager({
      statPrefix: prefix,
      routeConfig: routeConfiguration({
        name: inboundRouteName(input.service),
        virtualHost: input.service,
        cluster,
      }),
      httpFilters: enforce ? [httpRbacFilter(input.mesh, input.permissions)] : [],
      forwardClientCert: input.mtls !== undefined,
    }),
  ];
}

/** The filter chains of an inbound listener. */
export function generateInboundFilterChains(input: InboundChainsInput): FilterChain[] {
  const mtls = input.mtls;
  if (mtls === undefined) {
    return [create(FilterChainSchema, { filters: inboundFilters(input, false) })];
  }
  const permissive = mtls.mode === 'PERMISSIVE';
  const tls = create(FilterChainSchema, {
    ...(permissive ? { filterChainMatch: { transportProtocol: 'tls' } } : {}),
    filters: inboundFilters(input, true),
    transportSocket: inboundTlsTransportSocketOf(input.mesh, { cert: input.certSecretName, ca: input.caSecretName }),
  });
  if (!permissive) return [tls];
  // Plaintext callers have no identity: RBAC still applies, so only rules that allow every
  // caller let them in (fail closed rather than exempt plaintext from permissions).
  const plaintext = create(FilterChainSchema, {
    filterChainMatch: { transportProtocol: 'raw_buffer' },
    filters: inboundFilters(input, true),
  });
  return [tls, plaintext];
}

/**
 * The listener of one inbound. `chains` are its filter chains when the caller already has them
 * (they must be `generateInboundFilterChains(inboundChainsInput(ctx, inbound))`); the listener
 * only refers to them, so sharing them between listeners is safe as long as nobody mutates them.
 */
export function generateInboundListener(
  ctx: ProxyContext,
  inbound: Inbound,
  chains: readonly FilterChain[] = generateInboundFilterChains(inboundChainsInput(ctx, inbound)),
): Listener {
  const permissive = ctx.mesh.mtls?.mode === 'PERMISSIVE';
  return create(ListenerSchema, {
    name: inboundListenerName(ctx.dataplane.address, inbound.port),
    address: socketAddress(ctx.dataplane.address, inbound.port),
    trafficDirection: TrafficDirection.INBOUND,
    enableReusePort: false,
    listenerFilters: permissive
      ? [
          create(ListenerFilterSchema, {
            name: Extensions.tlsInspector,
            configType: { case: 'typedConfig', value: typedConfig(TlsInspectorSchema, {}) },
          }),
        ]
      : [],
    filterChains: [...chains],
  });
}
