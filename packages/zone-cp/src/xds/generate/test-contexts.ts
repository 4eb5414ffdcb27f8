/**
 * Proxy contexts shared by the golden tests and the real-Envoy tests (test support, not
 * exported): one per shape of configuration the generators produce.
 */

import type { PermissionRule, TrafficAction } from '@strait/shared';
import type { Endpoint, Inbound, MeshMtls, Outbound, ProxyContext, ProxySecret } from './proxy-context.js';

/** The mesh every fixture lives in. */
export const MESH = 'default';

/** A rule as the matching produces it, for `subset` callers. */
export function rule(action: TrafficAction, subset: Record<string, string> = {}, origin = 'mtp'): PermissionRule {
  return { action, subset, origins: [origin] };
}

/** Callers of a service: `{ 'kuma.io/service': service }`. */
export function service(name: string): Record<string, string> {
  return { 'kuma.io/service': name };
}

/** An HTTP inbound of `backend`: Envoy on `port`, the service on `servicePort`. */
export function httpInbound(port: number, servicePort: number, rules: readonly PermissionRule[]): Inbound {
  return {
    port,
    servicePort,
    service: 'backend',
    protocol: 'http',
    tags: { 'kuma.io/service': 'backend', 'kuma.io/protocol': 'http', version: 'v1' },
    permissions: { rules },
  };
}

/** A TCP inbound of `redis`. */
export function tcpInbound(port: number, servicePort: number, rules: readonly PermissionRule[]): Inbound {
  return {
    port,
    servicePort,
    service: 'redis',
    protocol: 'tcp',
    tags: { 'kuma.io/service': 'redis' },
    permissions: { rules },
  };
}

const STRICT: MeshMtls = { backendName: 'ca-1', mode: 'STRICT' };
const PERMISSIVE: MeshMtls = { backendName: 'ca-1', mode: 'PERMISSIVE' };

/** Placeholder PEMs: goldens must not change with every run (the Envoy tests use real ones). */
function fakeSecrets(spiffeService: string): ProxySecret[] {
  return [
    {
      name: 'identity_cert:secret:default',
      certPem: `-----BEGIN CERTIFICATE-----\nfake certificate of ${spiffeService}\n-----END CERTIFICATE-----\n`,
      keyPem: '-----BEGIN PRIVATE KEY-----\nfake key\n-----END PRIVATE KEY-----\n',
    },
    { name: 'mesh_ca:secret:default', caPem: '-----BEGIN CERTIFICATE-----\nfake mesh CA\n-----END CERTIFICATE-----\n' },
  ];
}

/** A proxy of `serviceName` at 10.0.0.1 with the given inbounds, outbounds and mTLS. */
export function proxyContext(options: {
  readonly name: string;
  readonly serviceName: string;
  readonly mtls?: MeshMtls;
  readonly inbounds?: readonly Inbound[];
  readonly outbounds?: readonly Outbound[];
  readonly endpoints?: ReadonlyMap<string, readonly Endpoint[]>;
  readonly metricsPort?: number;
  readonly address?: string;
  readonly adminPort?: number;
}): ProxyContext {
  const mtls = options.mtls;
  return {
    mesh: mtls === undefined ? { name: MESH } : { name: MESH, mtls },
    dataplane: {
      name: options.name,
      mesh: MESH,
      address: options.address ?? '10.0.0.1',
      inbounds: options.inbounds ?? [],
      outbounds: options.outbounds ?? [],
    },
    endpoints: options.endpoints ?? new Map(),
    ...(mtls === undefined
      ? {}
      : {
          identity: {
            spiffeId: `spiffe://${MESH}/${options.serviceName}`,
            certSecretName: 'identity_cert:secret:default',
            caSecretName: 'mesh_ca:secret:default',
          },
          secrets: fakeSecrets(options.serviceName),
        }),
    zone: 'zone-1',
    ...(options.metricsPort === undefined ? {} : { metricsPort: options.metricsPort }),
    adminPort: options.adminPort ?? 9901,
  };
}

/** Outbounds of `web`: an HTTP, an HTTP/2 and a TCP service. */
const OUTBOUNDS: readonly Outbound[] = [
  { port: 20001, service: 'backend', protocol: 'http' },
  { port: 20002, address: '127.0.0.2', service: 'grpc-api', protocol: 'grpc' },
  { port: 20003, service: 'redis', protocol: 'tcp' },
];

/** Their endpoints, in two zones (listed out of order: the output must still be sorted). */
const ENDPOINTS: ReadonlyMap<string, readonly Endpoint[]> = new Map<string, readonly Endpoint[]>([
  [
    'backend',
    [
      { address: '10.0.2.7', port: 10001, tags: { 'kuma.io/service': 'backend', version: 'v2' }, zone: 'zone-2' },
      { address: '10.0.1.5', port: 10001, tags: { 'kuma.io/service': 'backend', version: 'v1' }, zone: 'zone-1' },
      { address: '10.0.1.4', port: 10001, tags: { 'kuma.io/service': 'backend', version: 'v1' } },
      {
        address: '192.168.9.1',
        port: 10001,
        tags: { 'kuma.io/service': 'backend' },
        zone: 'zone-3',
        weight: 3,
        locality: { zone: 'zone-3' },
      },
    ],
  ],
  ['grpc-api', [{ address: '10.0.1.9', port: 10005, tags: { 'kuma.io/service': 'grpc-api' }, zone: 'zone-1' }]],
]);

/** What the mesh context makes of a remote zone's ingress offering `svc` with `instances` behind it. */
export function remoteEndpoint(
  svc: string,
  zone: string,
  address: string,
  port: number,
  instances: number,
  extraTags: Record<string, string> = {},
): Endpoint {
  return {
    address,
    port,
    tags: { ...extraTags, 'kuma.io/service': svc, 'kuma.io/zone': zone },
    zone,
    weight: instances,
    locality: { zone },
    sni: `${svc}{mesh=${MESH}}`,
  };
}

/**
 * `web` in zone-1 consuming `backend` (local, and in zone-2 behind two ingresses, and in zone-3)
 * and `payments` (only in zone-2).
 */
const CROSS_ZONE_ENDPOINTS: ReadonlyMap<string, readonly Endpoint[]> = new Map<string, readonly Endpoint[]>([
  [
    'backend',
    [
      remoteEndpoint('backend', 'zone-3', '198.51.100.7', 10001, 1, { 'kuma.io/protocol': 'http' }),
      { address: '10.0.1.5', port: 10001, tags: { 'kuma.io/service': 'backend', 'kuma.io/protocol': 'http' } },
      remoteEndpoint('backend', 'zone-2', '203.0.113.11', 10001, 3, { 'kuma.io/protocol': 'http' }),
      remoteEndpoint('backend', 'zone-2', '203.0.113.10', 10001, 3, { 'kuma.io/protocol': 'http' }),
      { address: '10.0.1.4', port: 10001, tags: { 'kuma.io/service': 'backend', 'kuma.io/protocol': 'http' } },
    ],
  ],
  [
    'payments',
    [
      remoteEndpoint('payments', 'zone-2', '203.0.113.10', 10001, 2),
      remoteEndpoint('payments', 'zone-2', '203.0.113.11', 10001, 2),
    ],
  ],
]);

/** The golden table: name → context. */
export const GOLDEN_CONTEXTS: ReadonlyMap<string, ProxyContext> = new Map([
  [
    'http-inbound-no-mtls',
    proxyContext({ name: 'backend-01', serviceName: 'backend', inbounds: [httpInbound(10001, 8080, [rule('Allow')])] }),
  ],
  [
    'strict-allow-mesh',
    proxyContext({
      name: 'backend-01',
      serviceName: 'backend',
      mtls: STRICT,
      inbounds: [httpInbound(10001, 8080, [rule('Allow')]), tcpInbound(10002, 6379, [rule('Allow')])],
    }),
  ],
  [
    'strict-deny-web-allow-mesh',
    proxyContext({
      name: 'backend-01',
      serviceName: 'backend',
      mtls: STRICT,
      inbounds: [
        httpInbound(10001, 8080, [rule('Deny', service('web'), 'deny-web'), rule('Allow', {}, 'allow-all')]),
        tcpInbound(10002, 6379, [rule('Deny', service('web'), 'deny-web'), rule('Allow', {}, 'allow-all')]),
      ],
    }),
  ],
  [
    'strict-allow-web-only',
    proxyContext({
      name: 'backend-01',
      serviceName: 'backend',
      mtls: STRICT,
      inbounds: [
        httpInbound(10001, 8080, [rule('Allow', service('web'))]),
        tcpInbound(10002, 6379, [rule('Allow', service('web'))]),
      ],
    }),
  ],
  [
    'strict-deny-all',
    proxyContext({
      name: 'backend-01',
      serviceName: 'backend',
      mtls: STRICT,
      inbounds: [httpInbound(10001, 8080, []), tcpInbound(10002, 6379, [])],
    }),
  ],
  [
    'strict-allow-with-shadow-deny',
    proxyContext({
      name: 'backend-01',
      serviceName: 'backend',
      mtls: STRICT,
      inbounds: [
        httpInbound(10001, 8080, [rule('Allow', service('web')), rule('AllowWithShadowDeny', {}, 'shadow')]),
        tcpInbound(10002, 6379, [rule('Allow', service('web')), rule('AllowWithShadowDeny', {}, 'shadow')]),
      ],
    }),
  ],
  [
    'permissive',
    proxyContext({
      name: 'backend-01',
      serviceName: 'backend',
      mtls: PERMISSIVE,
      inbounds: [httpInbound(10001, 8080, [rule('Allow')]), tcpInbound(10002, 6379, [rule('Allow')])],
    }),
  ],
  [
    'outbounds-no-mtls',
    proxyContext({
      name: 'web-01',
      serviceName: 'web',
      inbounds: [{ ...httpInbound(10001, 8080, [rule('Allow')]), service: 'web', tags: service('web') }],
      outbounds: OUTBOUNDS,
      endpoints: ENDPOINTS,
    }),
  ],
  [
    'outbounds-strict',
    proxyContext({
      name: 'web-01',
      serviceName: 'web',
      mtls: STRICT,
      inbounds: [{ ...httpInbound(10001, 8080, [rule('Allow')]), service: 'web', tags: service('web') }],
      outbounds: OUTBOUNDS,
      endpoints: ENDPOINTS,
    }),
  ],
  [
    'cross-zone',
    proxyContext({
      name: 'web-01',
      serviceName: 'web',
      mtls: STRICT,
      inbounds: [{ ...httpInbound(10001, 8080, [rule('Allow')]), service: 'web', tags: service('web') }],
      outbounds: [
        { port: 20001, service: 'backend', protocol: 'http' },
        { port: 20004, service: 'payments', protocol: 'tcp' },
      ],
      endpoints: CROSS_ZONE_ENDPOINTS,
    }),
  ],
  [
    'prometheus',
    proxyContext({
      name: 'backend-01',
      serviceName: 'backend',
      inbounds: [httpInbound(10001, 8080, [rule('Allow')])],
      metricsPort: 5670,
    }),
  ],
]);
