/**
 * One listener per outbound, on `<address>:<port>` (127.0.0.1 by default), sending everything
 * to the cluster named after the consumed service: through an HTTP connection manager for HTTP
 * protocols (so routes, retries and timeouts can apply later), through a TCP proxy otherwise.
 * HTTP requests that could not reach an endpoint are retried on another one
 * (`connectFailureRetryPolicy`).
 */

import { create } from '@bufbuild/protobuf';
import { type Listener, ListenerSchema, TrafficDirection } from '@strait/proto/envoy';
import { connectFailureRetryPolicy, isHttp, socketAddress } from './envoy-parts.js';
import {
  DEFAULT_OUTBOUND_ADDRESS,
  outboundClusterName,
  outboundListenerName,
  outboundRouteName,
  statPrefix,
} from './names.js';
import { httpConnectionManager, routeConfiguration, tcpProxy } from './network-filters.js';
import type { Outbound } from './proxy-context.js';

/** The listener of one outbound. */
export function generateOutboundListener(outbound: Outbound): Listener {
  const address = outbound.address ?? DEFAULT_OUTBOUND_ADDRESS;
  const cluster = outboundClusterName(outbound.service);
  const prefix = statPrefix(outbound.service);
  const filter = isHttp(outbound.protocol)
    ? httpConnectionManager({
        statPrefix: prefix,
        routeConfig: routeConfiguration({
          name: outboundRouteName(outbound.service),
          virtualHost: outbound.service,
          cluster,
          retryPolicy: connectFailureRetryPolicy(),
        }),
      })
    : tcpProxy(prefix, cluster);
  return create(ListenerSchema, {
    name: outboundListenerName(address, outbound.port),
    address: socketAddress(address, outbound.port),
    trafficDirection: TrafficDirection.OUTBOUND,
    enableReusePort: false,
    filterChains: [{ filters: [filter] }],
  });
}
