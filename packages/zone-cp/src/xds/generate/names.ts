/**
 * Every name Strait gives an Envoy resource, in one place. Names follow Kuma's so that Envoy
 * stats, admin dumps and dashboards built for Kuma read the same.
 */

/** Address an outbound listens on when the Dataplane does not say (as in Kuma). */
export const DEFAULT_OUTBOUND_ADDRESS = '127.0.0.1';

/** Address of the local service behind an inbound when the Dataplane does not say. */
export const DEFAULT_SERVICE_ADDRESS = '127.0.0.1';

/** Path on the Prometheus listener (Kuma's default). */
export const DEFAULT_METRICS_PATH = '/metrics';

/** Kuma's default port of the Prometheus listener. */
export const DEFAULT_METRICS_PORT = 5670;

/** The admin endpoint Prometheus scrapes through the metrics listener. */
export const ADMIN_PROMETHEUS_PATH = '/stats/prometheus';

/** Listener of one inbound: `inbound:<address>:<port>`. */
export function inboundListenerName(address: string, port: number): string {
  return `inbound:${address}:${port}`;
}

/** Listener of one outbound: `outbound:<address>:<port>`. */
export function outboundListenerName(address: string, port: number): string {
  return `outbound:${address}:${port}`;
}

/** Static cluster of the local service behind an inbound: `localhost:<servicePort>`. */
export function localClusterName(servicePort: number): string {
  return `localhost:${servicePort}`;
}

/** EDS cluster (and its ClusterLoadAssignment) of a consumed service: the service name. */
export function outboundClusterName(service: string): string {
  return service;
}

/** Inline route configuration of an inbound HTTP listener. */
export function inboundRouteName(service: string): string {
  return `inbound:${service}`;
}

/** Inline route configuration of an outbound HTTP listener. */
export function outboundRouteName(service: string): string {
  return `outbound:${service}`;
}

/** The static cluster pointing at the proxy's own admin API. */
export const ADMIN_CLUSTER_NAME = 'kuma:envoy:admin';

/** The listener that serves Prometheus metrics. */
export const PROMETHEUS_LISTENER_NAME = 'kuma:metrics:prometheus';

/** SDS name of a proxy's identity certificate when the context names none (Kuma's). */
export function identityCertSecretName(mesh: string): string {
  return `identity_cert:secret:${mesh}`;
}

/** SDS name of a mesh's CA bundle when the context names none (Kuma's). */
export function meshCaSecretName(mesh: string): string {
  return `mesh_ca:secret:${mesh}`;
}

/** The SPIFFE ID of a service in a mesh: what its proxies' certificates carry first. */
export function serviceSpiffeId(mesh: string, service: string): string {
  return `spiffe://${mesh}/${service}`;
}

/** The URI SAN prefix shared by every identity in a mesh. */
export function meshSpiffePrefix(mesh: string): string {
  return `spiffe://${mesh}/`;
}

/** How Kuma encodes a non-service tag in a proxy certificate: `kuma://<key>/<value>`. */
export function tagUriSan(key: string, value: string): string {
  return `kuma://${key}/${value}`;
}

/**
 * A stat prefix from a resource name: Envoy stat names are dot-separated and Prometheus names
 * allow no `:`, so everything but letters, digits, `_` and `-` becomes `_` (as Kuma does).
 */
export function statPrefix(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}
