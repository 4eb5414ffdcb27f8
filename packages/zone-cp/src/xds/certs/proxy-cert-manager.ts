import {
  type DataplaneSpec,
  issueWorkloadCertificate,
  type Logger,
  type MeshCaManager,
  type Resource,
  renewAt,
  spiffeIdOf,
} from '@strait/shared';
import type { MeshContext } from '../context/mesh-context.js';
import type { ProxyCertificates } from '../context/proxy-context.js';

/** Options of {@link createProxyCertManager}. */
export interface ProxyCertManagerOptions {
  readonly caManager: MeshCaManager;
  readonly logger: Logger;
  /** Lifetime when the mesh's backend does not set `dpCert.rotation.expiration` (Kuma: 24h). */
  readonly defaultValidForMs: number;
  /** Fraction of the lifetime after which a certificate is renewed; default 0.8. */
  readonly renewAtFraction?: number;
  readonly nowMs?: () => number;
}

/** Issues and caches proxy certificates, and says which are due for renewal. */
export interface ProxyCertManager {
  /** The proxy's current certificate, issued when missing, expiring, or no longer matching its identity or CA. */
  certsFor(meshCtx: MeshContext, dataplane: Resource): Promise<ProxyCertificates | undefined>;
  /** Proxy keys (`mesh/name`) whose certificate passed its renewal time. */
  dueForRenewal(): string[];
  forget(mesh: string, name: string): void;
  /** Issued so far (for metrics and tests). */
  readonly issued: number;
}

interface Entry {
  readonly fingerprint: string;
  readonly certs: ProxyCertificates;
  readonly renewAtMs: number;
}

/** SPIFFE IDs for each inbound service and `kuma://<tag>/<value>` URIs for every inbound tag (what RBAC matches). */
function identityUris(mesh: string, spec: DataplaneSpec): { spiffeId: string; extraUris: string[] } {
  const services = new Set<string>();
  const tags = new Set<string>();
  for (const inbound of spec.networking.inbound ?? []) {
    for (const [k, v] of Object.entries(inbound.tags ?? {})) {
      if (k === 'kuma.io/service') services.add(v);
      tags.add(`kuma://${k}/${v}`);
    }
  }
  const spiffe = [...services].sort().map((s) => spiffeIdOf(mesh, s));
  const [first = spiffeIdOf(mesh, 'unknown'), ...rest] = spiffe;
  return { spiffeId: first, extraUris: [...rest, ...[...tags].sort()] };
}

/**
 * {@link identityUris} per Dataplane resource (store resources are immutable snapshots): a
 * mesh-wide regeneration asks again for every proxy whose Dataplane did not change.
 */
const urisByDataplane = new WeakMap<Resource, { mesh: string; uris: ReturnType<typeof identityUris> }>();

function identityUrisOf(mesh: string, dataplane: Resource): ReturnType<typeof identityUris> {
  const known = urisByDataplane.get(dataplane);
  if (known !== undefined && known.mesh === mesh) return known.uris;
  const uris = identityUris(mesh, dataplane.spec as DataplaneSpec);
  urisByDataplane.set(dataplane, { mesh, uris });
  return uris;
}

/** Creates the proxy certificate manager (one per zone CP). */
export function createProxyCertManager(options: ProxyCertManagerOptions): ProxyCertManager {
  const entries = new Map<string, Entry>();
  const now = options.nowMs ?? Date.now;
  const fraction = options.renewAtFraction ?? 0.8;
  const log = options.logger.child({ component: 'proxy-certs' });
  let issued = 0;

  return {
    async certsFor(meshCtx, dataplane) {
      if (meshCtx.mtls === undefined) return undefined;
      const ca = await options.caManager.ensureCa(meshCtx.name, meshCtx.mtls.backendName);
      const { spiffeId, extraUris } = identityUrisOf(meshCtx.name, dataplane);
      const validForMs = meshCtx.dpCertValidForMs ?? options.defaultValidForMs;
      const fingerprint = `${ca.serialNumber}|${validForMs}|${spiffeId}|${extraUris.join(',')}`;
      const key = `${meshCtx.name}/${dataplane.meta.name}`;
      const cached = entries.get(key);
      if (cached !== undefined && cached.fingerprint === fingerprint && cached.renewAtMs > now()) return cached.certs;
      const cert = await issueWorkloadCertificate(ca, { spiffeId, extraUris, validForMs, now: new Date(now()) });
      issued += 1;
      const certs = { certPem: cert.certPem, keyPem: cert.keyPem, caPem: ca.certPem };
      entries.set(key, { fingerprint, certs, renewAtMs: renewAt(cert.notBefore, cert.notAfter, fraction).getTime() });
      log.debug({ proxy: key, spiffeId, notAfter: cert.notAfter.toISOString() }, 'issued proxy certificate');
      return certs;
    },
    dueForRenewal() {
      const t = now();
      return [...entries].filter(([, e]) => e.renewAtMs <= t).map(([k]) => k);
    },
    forget(mesh, name) {
      entries.delete(`${mesh}/${name}`);
    },
    get issued() {
      return issued;
    },
  };
}
