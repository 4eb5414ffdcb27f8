import type { DataplaneSpec, MeshSpec, Resource, ResourceRegistry, ResourceStore } from '@strait/shared';
import type { Endpoint, MeshMtls, ProxyWarning, ServiceProtocol } from '../generate/index.js';
import { remoteEndpoints } from './remote-endpoints.js';

/**
 * Everything one mesh's proxies are generated from, read from the store once per mesh change
 * and shared by every proxy of the mesh (per-proxy work then only selects from it).
 */
export interface MeshContext {
  readonly name: string;
  readonly mesh: Resource;
  readonly mtls?: MeshMtls;
  /** Lifetime of proxy certificates from the enabled backend's `dpCert.rotation.expiration`. */
  readonly dpCertValidForMs?: number;
  readonly dataplanes: ReadonlyMap<string, Resource>;
  /**
   * Per `kuma.io/service`: ready inbounds of reachable dataplanes of this zone, and (with mTLS)
   * one endpoint per ingress of another zone that makes the service available.
   */
  readonly endpoints: ReadonlyMap<string, readonly Endpoint[]>;
  /**
   * `kuma.io/protocol` per service, from its local inbounds and the tags remote ingresses
   * advertise; `tcp` when they disagree or say nothing.
   */
  readonly protocols: ReadonlyMap<string, ServiceProtocol>;
  /** Services other zones offer that this zone's proxies cannot reach, and why (sorted). */
  readonly unreachableRemote: readonly ProxyWarning[];
  /** Policies of the mesh by type name (every descriptor with `isPolicy`). */
  readonly policies: ReadonlyMap<string, readonly Resource[]>;
  /** The Prometheus listener every proxy gets, from the mesh's enabled `metrics` backend. */
  readonly metrics?: { readonly port: number; readonly path: string };
}

/** Kuma's defaults for a prometheus metrics backend. */
const DEFAULT_METRICS_PORT = 5670;
const DEFAULT_METRICS_PATH = '/metrics';

function metricsOf(spec: MeshSpec): { port: number; path: string } | undefined {
  const enabled = spec.metrics?.enabledBackend;
  const backend = spec.metrics?.backends?.find((b) => b.name === enabled);
  if (backend === undefined || backend.type !== 'prometheus') return undefined;
  return { port: backend.conf?.port ?? DEFAULT_METRICS_PORT, path: backend.conf?.path ?? DEFAULT_METRICS_PATH };
}

/** Inputs of {@link buildMeshContext} besides the store. */
export interface MeshContextOptions {
  readonly zone: string;
  /** Dataplanes whose proxy disconnected from this CP: their endpoints are left out. */
  readonly offline: ReadonlySet<string>;
  /** Parses `1d`, `24h`, … into ms. */
  readonly parseDurationMs: (text: string) => number | undefined;
  /**
   * Protocols from the previous context of this mesh: a service that has no instance left
   * anywhere keeps its protocol, so its outbound listeners stay HTTP (answering 503) instead of
   * flipping to TCP and back, which would reset every open connection both times.
   */
  readonly previousProtocols?: ReadonlyMap<string, ServiceProtocol>;
}

const PROTOCOLS: ReadonlySet<string> = new Set<ServiceProtocol>(['http', 'http2', 'grpc', 'tcp']);

function protocolOf(tags: Readonly<Record<string, string>>): ServiceProtocol {
  const p = tags['kuma.io/protocol'];
  return p !== undefined && PROTOCOLS.has(p) ? (p as ServiceProtocol) : 'tcp';
}

function mtlsOf(
  spec: MeshSpec,
  parse: MeshContextOptions['parseDurationMs'],
): { mtls?: MeshMtls; validForMs?: number } {
  const enabled = spec.mtls?.enabledBackend;
  if (enabled === undefined || enabled === '') return {};
  const backend = spec.mtls?.backends?.find((b) => b.name === enabled);
  if (backend === undefined) return {};
  const expiration = backend.dpCert?.rotation?.expiration;
  const validForMs = expiration === undefined ? undefined : parse(expiration);
  return {
    mtls: { backendName: enabled, mode: backend.mode === 'PERMISSIVE' ? 'PERMISSIVE' : 'STRICT' },
    ...(validForMs === undefined ? {} : { validForMs }),
  };
}

async function listAll(store: ResourceStore, type: string, mesh: string): Promise<readonly Resource[]> {
  return (await store.list({ type, mesh })).items;
}

/** The mesh's policies by type name, for every descriptor with `isPolicy`. */
async function readPolicies(
  store: ResourceStore,
  registry: ResourceRegistry,
  meshName: string,
): Promise<ReadonlyMap<string, readonly Resource[]>> {
  const policyTypes = registry.all().filter((d) => d.isPolicy);
  const lists = await Promise.all(policyTypes.map((d) => listAll(store, d.name, meshName)));
  return new Map<string, readonly Resource[]>(policyTypes.map((d, i) => [d.name, lists[i] ?? []]));
}

/**
 * `previous` with its policies read again, everything else kept: for when only policies of the
 * mesh changed since `previous` was read (no Mesh, Dataplane or ZoneIngress change, no proxy
 * going on- or offline), which spares reading every Dataplane of the mesh. Returns a new
 * context, so whatever was derived from `previous` is not taken for this one.
 */
export async function withFreshPolicies(
  store: ResourceStore,
  registry: ResourceRegistry,
  previous: MeshContext,
): Promise<MeshContext> {
  return { ...previous, policies: await readPolicies(store, registry, previous.name) };
}

/** Reads one mesh's context; undefined when the mesh does not exist (any more). */
export async function buildMeshContext(
  store: ResourceStore,
  registry: ResourceRegistry,
  meshName: string,
  options: MeshContextOptions,
): Promise<MeshContext | undefined> {
  const mesh = await store.get({ type: 'Mesh', name: meshName });
  if (mesh === undefined) return undefined;
  const [dataplaneList, ingressList, policies] = await Promise.all([
    listAll(store, 'Dataplane', meshName),
    store.list({ type: 'ZoneIngress' }).then((page) => page.items),
    readPolicies(store, registry, meshName),
  ]);

  const dataplanes = new Map<string, Resource>();
  const endpoints = new Map<string, Endpoint[]>();
  const protocolVotes = new Map<string, Set<ServiceProtocol>>();
  for (const dp of dataplaneList ?? []) {
    dataplanes.set(dp.meta.name, dp);
    const offline = options.offline.has(dp.meta.name);
    const spec = dp.spec as DataplaneSpec;
    for (const inbound of spec.networking.inbound ?? []) {
      const tags = inbound.tags ?? {};
      const service = tags['kuma.io/service'];
      if (service === undefined) continue;
      // Every registered instance declares its service's protocol, serving or not.
      const votes = protocolVotes.get(service) ?? new Set<ServiceProtocol>();
      votes.add(protocolOf(tags));
      protocolVotes.set(service, votes);
      if (offline || inbound.health?.ready === false) continue;
      const list = endpoints.get(service) ?? [];
      list.push({ address: inbound.address ?? spec.networking.address, port: inbound.port, tags, zone: options.zone });
      endpoints.set(service, list);
    }
  }
  const { mtls, validForMs } = mtlsOf(mesh.spec as MeshSpec, options.parseDurationMs);
  const remote = remoteEndpoints(ingressList ?? [], { mesh: meshName, zone: options.zone, mtls: mtls !== undefined });
  for (const [service, list] of remote.endpoints) {
    endpoints.set(service, [...(endpoints.get(service) ?? []), ...list]);
    const votes = protocolVotes.get(service) ?? new Set<ServiceProtocol>();
    // A service known only remotely has no local inbound to vote: its ingresses' tags do.
    for (const endpoint of list) votes.add(protocolOf(endpoint.tags));
    protocolVotes.set(service, votes);
  }
  const protocols = new Map<string, ServiceProtocol>(options.previousProtocols ?? []);
  for (const [service, votes] of protocolVotes) {
    protocols.set(service, votes.size === 1 ? ([...votes][0] as ServiceProtocol) : 'tcp');
  }
  // Stable order so that generated endpoints (and their hashes) do not depend on list order.
  for (const list of endpoints.values()) list.sort((a, b) => a.address.localeCompare(b.address) || a.port - b.port);
  const metrics = metricsOf(mesh.spec as MeshSpec);
  return {
    name: meshName,
    mesh,
    ...(mtls === undefined ? {} : { mtls }),
    ...(validForMs === undefined ? {} : { dpCertValidForMs: validForMs }),
    dataplanes,
    endpoints,
    protocols,
    unreachableRemote: remote.unreachable,
    policies,
    ...(metrics === undefined ? {} : { metrics }),
  };
}
