/**
 * The Prometheus listener: `<metricsPath>` (Kuma's `/metrics` by default) on
 * `<dataplane address>:<metricsPort>`, rewritten to the admin API's `/stats/prometheus`. Only
 * that path is exposed: the rest of the admin API stays on loopback.
 */

import { create } from '@bufbuild/protobuf';
import { type Listener, ListenerSchema, TrafficDirection } from '@strait/proto/envoy';
import { socketAddress } from './envoy-parts.js';
import {
  ADMIN_CLUSTER_NAME,
  ADMIN_PROMETHEUS_PATH,
  DEFAULT_METRICS_PATH,
  PROMETHEUS_LISTENER_NAME,
  statPrefix,
} from './names.js';
import { httpConnectionManager, routeConfiguration } from './network-filters.js';

/** Options of {@link generatePrometheusListener}. */
export interface PrometheusListenerOptions {
  readonly address: string;
  readonly port: number;
  /** `/metrics` when unset. */
  readonly path?: string;
}

/** The `kuma:metrics:prometheus` listener. */
export function generatePrometheusListener(options: PrometheusListenerOptions): Listener {
  return create(ListenerSchema, {
    name: PROMETHEUS_LISTENER_NAME,
    address: socketAddress(options.address, options.port),
    trafficDirection: TrafficDirection.INBOUND,
    enableReusePort: false,
    filterChains: [
      {
        filters: [
          httpConnectionManager({
            statPrefix: statPrefix(PROMETHEUS_LISTENER_NAME),
            routeConfig: routeConfiguration({
              name: PROMETHEUS_LISTENER_NAME,
              virtualHost: PROMETHEUS_LISTENER_NAME,
              cluster: ADMIN_CLUSTER_NAME,
              prefix: options.path ?? DEFAULT_METRICS_PATH,
              prefixRewrite: ADMIN_PROMETHEUS_PATH,
            }),
          }),
        ],
      },
    ],
  });
}
