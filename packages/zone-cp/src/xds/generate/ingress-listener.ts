/**
 * The zone ingress listener: SNI passthrough. The TLS inspector reads the SNI of the caller's
 * ClientHello (the caller is another zone's sidecar, speaking mTLS to the destination's
 * sidecar); one filter chain per routed SNI TCP-proxies the still-encrypted bytes to that
 * target's cluster. The ingress terminates nothing and holds no certificate. There is no default
 * filter chain, so Envoy closes a connection whose SNI (or lack of one) matches none.
 */

import { create } from '@bufbuild/protobuf';
import {
  FilterChainSchema,
  type Listener,
  ListenerFilterSchema,
  ListenerSchema,
  TlsInspectorSchema,
  TrafficDirection,
} from '@strait/proto/envoy';
import { Extensions, socketAddress, typedConfig } from './envoy-parts.js';
import type { IngressContext } from './ingress-context.js';
import { ingressListenerName, ingressStatPrefix, ingressTargetSni } from './ingress-names.js';
import { tcpProxy } from './network-filters.js';

/** Local sidecars the ingress tries for one connection before it closes the caller's. */
export const INGRESS_CONNECT_ATTEMPTS = 3;

/** The ingress listener; undefined when there is nothing to route (Envoy refuses a listener without filter chains). */
export function generateIngressListener(ctx: IngressContext): Listener | undefined {
  if (ctx.targets.length === 0) return undefined;
  const chains = ctx.targets.map((target) => {
    const sni = ingressTargetSni(target);
    return create(FilterChainSchema, {
      name: sni,
      filterChainMatch: { serverNames: [sni], transportProtocol: 'tls' },
      filters: [tcpProxy(ingressStatPrefix(sni), sni, INGRESS_CONNECT_ATTEMPTS)],
    });
  });
  return create(ListenerSchema, {
    name: ingressListenerName(ctx.address, ctx.port),
    address: socketAddress(ctx.address, ctx.port),
    trafficDirection: TrafficDirection.INBOUND,
    enableReusePort: false,
    listenerFilters: [
      create(ListenerFilterSchema, {
        name: Extensions.tlsInspector,
        configType: { case: 'typedConfig', value: typedConfig(TlsInspectorSchema, {}) },
      }),
    ],
    filterChains: chains,
  });
}
