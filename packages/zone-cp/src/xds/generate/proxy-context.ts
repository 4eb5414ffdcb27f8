/**
 * Everything the generators need to know about one proxy, already resolved from the store: the
 * mesh's mTLS state, the Dataplane with its inbound permissions, the endpoints of the services it
 * consumes and its certificates. The generators are pure functions of this value.
 */

import type { InboundPermissions } from '@strait/shared';

/** Application protocols Strait configures differently (`kuma.io/protocol`). */
export type ServiceProtocol = 'http' | 'http2' | 'grpc' | 'tcp';

/** Mesh mTLS as the proxy sees it. */
export interface MeshMtls {
  /** Name of the enabled CA backend (`mtls.enabledBackend`). */
  readonly backendName: string;
  /** STRICT refuses plaintext on inbounds; PERMISSIVE accepts both (the backend's `mode`, STRICT when unset). */
  readonly mode: 'STRICT' | 'PERMISSIVE';
}

/** The mesh the proxy belongs to. */
export interface ProxyMesh {
  readonly name: string;
  /** Absent: mTLS is off (no TLS, no RBAC). */
  readonly mtls?: MeshMtls;
}

/** A service this proxy implements. */
export interface Inbound {
  /** Where Envoy listens, on the Dataplane's `networking.address`. */
  readonly port: number;
  /** Port of the local service (the Dataplane's `servicePort`, else `port`). */
  readonly servicePort: number;
  /** Address of the local service; `127.0.0.1` when unset. */
  readonly serviceAddress?: string;
  /** The `kuma.io/service` tag. */
  readonly service: string;
  /** The `kuma.io/protocol` tag; `tcp` when unset. */
  readonly protocol: ServiceProtocol;
  /** All tags of the inbound (for metadata). */
  readonly tags: Readonly<Record<string, string>>;
  /** Who may call this inbound: MeshTrafficPermission rules, first match decides. Ignored without mTLS. */
  readonly permissions: InboundPermissions;
}

/** A service this proxy consumes. */
export interface Outbound {
  readonly port: number;
  /** Where the outbound listener binds; `127.0.0.1` when unset. */
  readonly address?: string;
  /** The `kuma.io/service` tag of the consumed service. */
  readonly service: string;
  /**
   * The `kuma.io/protocol` of the service's inbounds (and of the tags remote zones' ingresses
   * advertise for it); `tcp` when they disagree or say nothing.
   */
  readonly protocol: ServiceProtocol;
}

/** One healthy instance of a service, as the proxy should reach it. */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
  /** Tags of the instance's inbound (rendered as `envoy.lb` metadata for subset routing). */
  readonly tags: Readonly<Record<string, string>>;
  /** Zone the instance runs in; the proxy's own zone when unset. */
  readonly zone?: string;
  /** Load-balancing weight (e.g. the instance count behind a zone ingress); 1 when unset. */
  readonly weight?: number;
  /** Envoy locality to file the endpoint under; `{ zone: zone }` when unset. */
  readonly locality?: { readonly zone: string };
  /**
   * SNI a zone ingress routes this endpoint's connections by (cross-zone). The outbound cluster
   * presents the service's SNI to every endpoint (a local sidecar ignores it), so this equals it.
   */
  readonly sni?: string;
}

/**
 * Why something the proxy consumes is missing from its configuration (shown by the inspect API;
 * the generators ignore it).
 */
export interface ProxyWarning {
  /** `CrossZoneNeedsMtls`: the service lives in `zone` but the mesh has no mTLS to get there with. */
  readonly code: 'CrossZoneNeedsMtls';
  readonly service: string;
  readonly zone: string;
  /** The same, for people. */
  readonly reason: string;
}

/** The proxy's mesh identity: its SPIFFE ID and the SDS names of its certificate and CA. */
export interface ProxyIdentity {
  readonly spiffeId: string;
  readonly certSecretName: string;
  readonly caSecretName: string;
}

/** A secret served over SDS: a certificate with its key, or a CA bundle. */
export interface ProxySecret {
  readonly name: string;
  /** PEM chain; with `keyPem`, makes a `tls_certificate`. */
  readonly certPem?: string;
  /** PEM private key. Secret: never logged. */
  readonly keyPem?: string;
  /** PEM CA bundle; makes a `validation_context` (when there is no certificate). */
  readonly caPem?: string;
}

/** The Dataplane, reduced to what the generators read. */
export interface ProxyDataplane {
  readonly name: string;
  readonly mesh: string;
  /** `networking.address`: where inbound and metrics listeners bind. */
  readonly address: string;
  readonly inbounds: readonly Inbound[];
  readonly outbounds: readonly Outbound[];
}

/** The inputs of one proxy's Envoy configuration. */
export interface ProxyContext {
  readonly mesh: ProxyMesh;
  readonly dataplane: ProxyDataplane;
  /** Healthy endpoints per `kuma.io/service`. A service without an entry has no endpoints. */
  readonly endpoints: ReadonlyMap<string, readonly Endpoint[]>;
  /** Required for mTLS; without it the Kuma default secret names are used. */
  readonly identity?: ProxyIdentity;
  /** Certificates to serve over SDS. */
  readonly secrets?: readonly ProxySecret[];
  /** The zone the proxy runs in. */
  readonly zone: string;
  /** Port of the Prometheus listener (Kuma's default is 5670); no listener when unset. */
  readonly metricsPort?: number;
  /** Path of the Prometheus listener; `/metrics` when unset. */
  readonly metricsPath?: string;
  /** Port of the proxy's Envoy admin API on loopback. */
  readonly adminPort: number;
  /** Why consumed services (or zones of them) are left out; empty or absent when nothing is. */
  readonly warnings?: readonly ProxyWarning[];
}
