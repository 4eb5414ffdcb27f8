import { computeInboundPermissions, type DataplaneSpec, type Resource, spiffeIdOf } from '@strait/shared';
import type { Inbound, Outbound, ProxyContext, ProxySecret, ServiceProtocol } from '../generate/index.js';
import type { MeshContext } from './mesh-context.js';

/** The proxy's certificate and the mesh CA, for SDS. */
export interface ProxyCertificates {
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPem: string;
}

/** Per-zone settings every proxy context carries. */
export interface ProxyContextOptions {
  readonly zone: string;
  readonly metricsPort?: number;
  readonly defaultAdminPort: number;
}

/** SDS names of a proxy's certificate and of its mesh's CA (Kuma's names). */
export const IDENTITY_CERT_SECRET = 'identity_cert:secret:default';
export const MESH_CA_SECRET = 'mesh_ca:secret:default';

/** Assembles one proxy's generator input from its mesh's context. Pure. */
export function buildProxyContext(
  meshCtx: MeshContext,
  dataplane: Resource,
  certs: ProxyCertificates | undefined,
  options: ProxyContextOptions,
): ProxyContext {
  const spec = dataplane.spec as DataplaneSpec;
  const permissionsPolicies = meshCtx.policies.get('MeshTrafficPermission') ?? [];
  const inbounds: Inbound[] = (spec.networking.inbound ?? []).map((inbound, index) => {
    const tags = inbound.tags ?? {};
    const protocol = tags['kuma.io/protocol'];
    return {
      port: inbound.port,
      servicePort: inbound.servicePort ?? inbound.port,
      ...(inbound.serviceAddress === undefined ? {} : { serviceAddress: inbound.serviceAddress }),
      service: tags['kuma.io/service'] ?? '',
      protocol: (['http', 'http2', 'grpc'].includes(protocol ?? '') ? protocol : 'tcp') as ServiceProtocol,
      tags,
      permissions: computeInboundPermissions(dataplane, index, permissionsPolicies),
    };
  });
  const outbounds: Outbound[] = [];
  for (const outbound of spec.networking.outbound ?? []) {
    const service = outbound.tags?.['kuma.io/service'] ?? outbound.backendRef?.name;
    if (service === undefined) continue;
    outbounds.push({
      port: outbound.port,
      ...(outbound.address === undefined ? {} : { address: outbound.address }),
      service,
      protocol: meshCtx.protocols.get(service) ?? 'tcp',
    });
  }
  const consumed = new Set(outbounds.map((o) => o.service));
  const endpoints = new Map([...meshCtx.endpoints].filter(([service]) => consumed.has(service)));
  const warnings = meshCtx.unreachableRemote.filter((w) => consumed.has(w.service));
  const firstService = inbounds[0]?.service ?? dataplane.meta.name;
  const secrets: ProxySecret[] =
    certs === undefined
      ? []
      : [
          { name: IDENTITY_CERT_SECRET, certPem: certs.certPem, keyPem: certs.keyPem },
          { name: MESH_CA_SECRET, caPem: certs.caPem },
        ];
  const adminPort = (spec.networking as { admin?: { port?: number } }).admin?.port ?? options.defaultAdminPort;
  return {
    mesh: { name: meshCtx.name, ...(meshCtx.mtls === undefined ? {} : { mtls: meshCtx.mtls }) },
    dataplane: { name: dataplane.meta.name, mesh: meshCtx.name, address: spec.networking.address, inbounds, outbounds },
    endpoints,
    ...(meshCtx.mtls === undefined
      ? {}
      : {
          identity: {
            spiffeId: spiffeIdOf(meshCtx.name, firstService),
            certSecretName: IDENTITY_CERT_SECRET,
            caSecretName: MESH_CA_SECRET,
          },
          secrets,
        }),
    zone: options.zone,
    ...(meshCtx.metrics === undefined
      ? options.metricsPort === undefined
        ? {}
        : { metricsPort: options.metricsPort }
      : { metricsPort: meshCtx.metrics.port, metricsPath: meshCtx.metrics.path }),
    adminPort,
    ...(warnings.length === 0 ? {} : { warnings }),
  };
}
