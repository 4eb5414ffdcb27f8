import {
  type DataplaneSpec,
  type InboundPermissions,
  permissionsOfSelected,
  type Resource,
  selectInboundPolicies,
  spiffeIdOf,
} from '@strait/shared';
import type {
  Endpoint,
  Inbound,
  Outbound,
  ProxyContext,
  ProxySecret,
  ProxyWarning,
  ServiceProtocol,
} from '../generate/index.js';
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

const NO_POLICIES: readonly Resource[] = Object.freeze([]);

/**
 * Computed permissions per list of MeshTrafficPermissions (each mesh context has its own list),
 * by the policies an inbound selects: the thousands of inbounds of one service select the same
 * policies and share one result (never mutated: generators only read it).
 */
const permissionsBySelection = new WeakMap<readonly Resource[], Map<string, InboundPermissions>>();

/** The permissions of inbound `index` of `dataplane`, as `computeInboundPermissions` gives them. */
function inboundPermissions(dataplane: Resource, index: number, policies: readonly Resource[]): InboundPermissions {
  const selected = selectInboundPolicies(dataplane, index, policies);
  let bySelection = permissionsBySelection.get(policies);
  if (bySelection === undefined) {
    bySelection = new Map();
    permissionsBySelection.set(policies, bySelection);
  }
  const key = selected.map((policy) => policies.indexOf(policy)).join(',');
  let permissions = bySelection.get(key);
  if (permissions === undefined) {
    permissions = permissionsOfSelected(selected);
    bySelection.set(key, permissions);
  }
  return permissions;
}

/** The endpoints and warnings of the services some outbounds consume. */
interface Consumed {
  readonly endpoints: ReadonlyMap<string, readonly Endpoint[]>;
  readonly warnings: readonly ProxyWarning[];
}

/**
 * {@link Consumed} per mesh context, by the list of consumed services: proxies consuming the
 * same services share one (read-only) result instead of each filtering every service of the mesh.
 */
const consumedByContext = new WeakMap<MeshContext, Map<string, Consumed>>();

function consumedBy(meshCtx: MeshContext, outbounds: readonly Outbound[]): Consumed {
  let byServices = consumedByContext.get(meshCtx);
  if (byServices === undefined) {
    byServices = new Map();
    consumedByContext.set(meshCtx, byServices);
  }
  const consumed = new Set(outbounds.map((o) => o.service));
  const key = JSON.stringify([...consumed]);
  let found = byServices.get(key);
  if (found === undefined) {
    found = {
      endpoints: new Map([...meshCtx.endpoints].filter(([service]) => consumed.has(service))),
      warnings: meshCtx.unreachableRemote.filter((w) => consumed.has(w.service)),
    };
    byServices.set(key, found);
  }
  return found;
}

/** Assembles one proxy's generator input from its mesh's context. Pure (results may be shared). */
export function buildProxyContext(
  meshCtx: MeshContext,
  dataplane: Resource,
  certs: ProxyCertificates | undefined,
  options: ProxyContextOptions,
): ProxyContext {
  const spec = dataplane.spec as DataplaneSpec;
  const permissionsPolicies = meshCtx.policies.get('MeshTrafficPermission') ?? NO_POLICIES;
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
      permissions: inboundPermissions(dataplane, index, permissionsPolicies),
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
  const { endpoints, warnings } = consumedBy(meshCtx, outbounds);
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
