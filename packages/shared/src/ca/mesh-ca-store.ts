/**
 * A mesh's builtin CA, kept in the store as two Secrets of the mesh named as Kuma names them:
 * `<mesh>.ca-builtin-cert-<backend>` and `<mesh>.ca-builtin-key-<backend>`, each with
 * `spec.data` = base64 of the PEM. Whoever wrote them (this CP, another replica, or the global
 * CP whose Secrets a zone receives over KDS) is irrelevant: the store is the only truth, and
 * cached handles are dropped as soon as either Secret changes.
 */
import { invalid, isStraitError, StraitError } from '../errors/strait-error.js';
import type { Logger } from '../logging/logger.js';
import type { Resource, ResourceKey } from '../model/resource.js';
import { secretDescriptor } from '../resources/secret.js';
import type { ResourceStore } from '../store/store.js';
import { type CaHandle, type CaMaterial, createRootCa, loadCa } from './certificate-authority.js';
import type { KeyAlgorithm } from './key-pair.js';

/** Options of {@link createMeshCaManager}. */
export interface MeshCaManagerOptions {
  readonly store: ResourceStore;
  readonly logger: Logger;
  /** Lifetime of a newly created mesh CA (Kuma's default is 10 years). */
  readonly caValidForMs: number;
  /** Key type of a newly created mesh CA; default `ecdsa-p256`. */
  readonly keyAlgorithm?: KeyAlgorithm;
  /**
   * Create the CA when the store has none; default true. A zone federated with a global CP
   * passes false: its CA Secrets come from the global CP, and until they arrive `ensureCa`
   * fails with `NotFound`.
   */
  readonly createIfMissing?: boolean;
}

/** Loads (and on first use creates) mesh CAs. */
export interface MeshCaManager {
  /**
   * The CA of a mesh's builtin backend, cached until its Secrets change. Creates it when
   * missing (see `createIfMissing`); concurrent callers, here or in other processes sharing the
   * store, end up with one CA. `NotFound` when the mesh does not exist (or, without
   * `createIfMissing`, the CA is not there yet); `Invalid` when the stored material is unusable.
   */
  ensureCa(mesh: string, backendName: string): Promise<CaHandle>;
  /** Stops watching the store and forgets cached handles. */
  close(): void;
}

/** Name of the Secret holding the certificate of a mesh's builtin CA backend. */
export function caCertSecretName(mesh: string, backendName: string): string {
  return `${mesh}.ca-builtin-cert-${backendName}`;
}

/** Name of the Secret holding the private key of a mesh's builtin CA backend. */
export function caKeySecretName(mesh: string, backendName: string): string {
  return `${mesh}.ca-builtin-key-${backendName}`;
}

/**
 * Create and read rounds before giving up. Each lost race is followed by a read that sees the
 * winner's Secrets, so more than two rounds only happen when the Secrets are deleted meanwhile.
 */
const MAX_ROUNDS = 4;

/** Creates a {@link MeshCaManager}. */
export function createMeshCaManager(options: MeshCaManagerOptions): MeshCaManager {
  const { store } = options;
  const logger = options.logger.child({ component: 'mesh-ca' });
  const createIfMissing = options.createIfMissing ?? true;
  const cache = new Map<string, CacheEntry>();
  const cacheKey = (mesh: string, backend: string): string => `${mesh}\u0000${backend}`;

  // Our own writes while creating a CA come back as events too, so an event only drops a
  // handle when the Secret's data now differs from what the handle was loaded from.
  const unsubscribe = store.subscribe((event) => {
    const { type, mesh, name } = event.key;
    if (type !== secretDescriptor.name || mesh === undefined) return;
    const which = caSecretOf(mesh, name);
    if (which === undefined) return;
    const key = cacheKey(mesh, which.backend);
    const entry = cache.get(key);
    if (entry === undefined) return;
    const data = event.op === 'delete' ? undefined : dataOf(event.resource);
    if (entry.loaded === undefined) entry.latest[which.part] = { data };
    else if (entry.loaded[which.part] !== data) cache.delete(key);
  });

  async function resolveCa(mesh: string, backend: string): Promise<LoadedCa> {
    const certKey = secretKey(mesh, caCertSecretName(mesh, backend));
    const keyKey = secretKey(mesh, caKeySecretName(mesh, backend));
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const [certSecret, keySecret] = await Promise.all([store.get(certKey), store.get(keyKey)]);
      if (certSecret !== undefined && keySecret !== undefined) {
        const handle = await load(mesh, backend, { certPem: pemOf(certSecret), keyPem: pemOf(keySecret) });
        return { handle, cert: dataOf(certSecret), key: dataOf(keySecret) };
      }
      if (!createIfMissing) {
        throw new StraitError(
          'NotFound',
          `the builtin CA of mesh ${mesh}, backend ${backend}, is not in the store yet`,
        );
      }
      if (keySecret === undefined && certSecret !== undefined) {
        throw invalid([{ field: keyKey.name, reason: `missing while ${certKey.name} exists` }], 'mesh CA');
      }
      // The key is written first and the certificate second. A key without a certificate means
      // another creator is between its two writes or stopped there; any certificate for that key
      // is a valid CA, so whoever creates the certificate Secret first wins and nobody waits.
      let material: CaMaterial;
      if (keySecret === undefined) {
        material = await createRootCa(rootOptions(mesh));
        if (!(await createIfAbsent(keyKey, material.keyPem))) continue;
      } else {
        material = await createRootCa({ ...rootOptions(mesh), keyPem: pemOf(keySecret) });
      }
      if (!(await createIfAbsent(certKey, material.certPem))) continue;
      const handle = await load(mesh, backend, material);
      logger.info({ mesh, backend, notAfter: handle.notAfter.toISOString() }, 'created builtin mesh CA');
      return { handle, cert: base64(material.certPem), key: base64(material.keyPem) };
    }
    throw new StraitError(
      'Conflict',
      `the builtin CA of mesh ${mesh}, backend ${backend}, kept changing while loading`,
    );
  }

  function rootOptions(mesh: string) {
    return {
      commonName: mesh,
      trustDomain: mesh,
      validForMs: options.caValidForMs,
      ...(options.keyAlgorithm === undefined ? {} : { keyAlgorithm: options.keyAlgorithm }),
    };
  }

  async function createIfAbsent(key: ResourceKey, pem: string): Promise<boolean> {
    try {
      await store.create({ ...key, labels: {}, spec: { data: base64(pem) } });
      return true;
    } catch (err) {
      if (isStraitError(err, 'AlreadyExists')) return false;
      throw err;
    }
  }

  async function load(mesh: string, backend: string, material: CaMaterial): Promise<CaHandle> {
    try {
      const handle = await loadCa(material);
      if (handle.notAfter.getTime() <= Date.now()) {
        logger.warn({ mesh, backend, notAfter: handle.notAfter.toISOString() }, 'builtin mesh CA has expired');
      }
      return handle;
    } catch (err) {
      if (!isStraitError(err, 'Invalid')) throw err;
      const secretOf = { certPem: caCertSecretName(mesh, backend), keyPem: caKeySecretName(mesh, backend) };
      throw invalid(
        err.violations.map((v) => ({ field: secretOf[v.field as keyof typeof secretOf] ?? v.field, reason: v.reason })),
        'mesh CA',
      );
    }
  }

  return {
    ensureCa(mesh, backendName) {
      const key = cacheKey(mesh, backendName);
      const cached = cache.get(key);
      if (cached !== undefined) return cached.handle;
      const entry: CacheEntry = {
        handle: resolveCa(mesh, backendName).then(
          (loaded) => {
            entry.loaded = { cert: loaded.cert, key: loaded.key };
            // Changes seen while loading: keep the handle only if it is still what is stored.
            const stale = (['cert', 'key'] as const).some(
              (part) => entry.latest[part] !== undefined && entry.latest[part]?.data !== loaded[part],
            );
            if (stale && cache.get(key) === entry) cache.delete(key);
            return loaded.handle;
          },
          (err: unknown) => {
            if (cache.get(key) === entry) cache.delete(key); // failures are not cached
            throw err;
          },
        ),
        latest: {},
      };
      cache.set(key, entry);
      return entry.handle;
    },
    close() {
      unsubscribe();
      cache.clear();
    },
  };
}

/** A CA handle and the Secret data it was loaded from. */
interface LoadedCa {
  readonly handle: CaHandle;
  readonly cert: string | undefined;
  readonly key: string | undefined;
}

interface CacheEntry {
  readonly handle: Promise<CaHandle>;
  /** Secret data the handle came from, once loaded. */
  loaded?: { cert: string | undefined; key: string | undefined };
  /** While loading: the last data seen in change events (undefined data: deleted). */
  latest: { cert?: { data: string | undefined }; key?: { data: string | undefined } };
}

function secretKey(mesh: string, name: string): ResourceKey {
  return { type: secretDescriptor.name, mesh, name };
}

/** Which backend and part a CA Secret of `mesh` is, or undefined for other Secrets. */
function caSecretOf(mesh: string, name: string): { backend: string; part: 'cert' | 'key' } | undefined {
  for (const [part, prefix] of [
    ['cert', caCertSecretName(mesh, '')],
    ['key', caKeySecretName(mesh, '')],
  ] as const) {
    if (name.startsWith(prefix) && name.length > prefix.length) return { backend: name.slice(prefix.length), part };
  }
  return undefined;
}

function dataOf(secret: Resource): string | undefined {
  const data = (secret.spec as { data?: unknown } | undefined)?.data;
  return typeof data === 'string' ? data : undefined;
}

function base64(pem: string): string {
  return Buffer.from(pem, 'utf8').toString('base64');
}

function pemOf(secret: Resource): string {
  const data = dataOf(secret);
  if (data === undefined) {
    throw invalid([{ field: secret.meta.name, reason: 'spec.data is not a string' }], 'mesh CA');
  }
  return Buffer.from(data, 'base64').toString('utf8');
}
