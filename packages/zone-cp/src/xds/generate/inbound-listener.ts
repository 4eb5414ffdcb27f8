/**
 * One listener per inbound, on `<dataplane address>:<port>`, forwarding to the local service's
 * cluster. With mesh mTLS the listener terminates TLS (client certificate required) and RBAC
 * renders the inbound's traffic permissions; PERMISSIVE adds a plaintext filter chain picked by
 * the TLS inspector. Without mTLS there is neither TLS nor RBAC: Kuma ignores
 * MeshTrafficPermission when callers have no identity to check.
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
import { Extensions, isHttp, socketAddress, typedConfig } from './envoy-parts.js';
import { inboundListenerName, inboundRouteName, localClusterName, statPrefix } from './names.js';
import { httpConnectionManager, routeConfiguration, tcpProxy } from './network-filters.js';
import type { Inbound, ProxyContext } from './proxy-context.js';
import { httpRbacFilter, networkRbacFilter } from './rbac.js';
import { inboundTlsTransportSocket } from './tls-context.js';

/** The network filters of one filter chain; `enforce` adds RBAC. */
function inboundFilters(ctx: ProxyContext, inbound: Inbound, listenerName: string, enforce: boolean): Filter[] {
  const cluster = localClusterName(inbound.servicePort);
  const prefix = statPrefix(cluster);
  if (!isHttp(inbound.protocol)) {
    const rbac = enforce ? [networkRbacFilter(ctx.mesh.name, inbound.permissions, `${statPrefix(listenerName)}.`)] : [];
    return [...rbac, tcpProxy(prefix, cluster)];
  }
  return [
    httpConnectionManager({
      statPrefix: prefix,
      routeConfig: routeConfiguration({
        name: inboundRouteName(inbound.service),
        virtualHost: inbound.service,
        cluster,
      }),
      httpFilters: enforce ? [httpRbacFilter(ctx.mesh.name, inbound.permissions)] : [],
      forwardClientCert: ctx.mesh.mtls !== undefined,
    }),
  ];
}

function filterChains(ctx: ProxyContext, inbound: Inbound, listenerName: string): FilterChain[] {
  const mtls = ctx.mesh.mtls;
  if (mtls === undefined) {
    return [create(FilterChainSchema, { filters: inboundFilters(ctx, inbound, listenerName, false) })];
  }
  const permissive = mtls.mode === 'PERMISSIVE';
  const tls = create(FilterChainSchema, {
    ...(permissive ? { filterChainMatch: { transportProtocol: 'tls' } } : {}),
    filters: inboundFilters(ctx, inbound, listenerName, true),
    transportSocket: inboundTlsTransportSocket(ctx),
  });
  if (!permissive) return [tls];
  // Plaintext callers have no identity: RBAC still applies, so only rules that allow every
  // caller let them in (fail closed rather than exempt plaintext from permissions).
  const plaintext = create(FilterChainSchema, {
    filterChainMatch: { transportProtocol: 'raw_buffer' },
    filters: inboundFilters(ctx, inbound, listenerName, true),
  });
  return [tls, plaintext];
}

/** The listener of one inbound. */
export function generateInboundListener(ctx: ProxyContext, inbound: Inbound): Listener {
  const name = inboundListenerName(ctx.dataplane.address, inbound.port);
  const permissive = ctx.mesh.mtls?.mode === 'PERMISSIVE';
  return create(ListenerSchema, {
    name,
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
    filterChains: filterChains(ctx, inbound, name),
  });
}
