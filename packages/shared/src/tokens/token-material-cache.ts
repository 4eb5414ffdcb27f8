import type { Logger } from '../logging/logger.js';
import type { Resource } from '../model/resource.js';
import type { ResourceStore } from '../store/store.js';
import { decodeRevocations, revocationsName } from './revocation-list.js';
import { importSigningKey, type SigningKey, signingKeyName, signingKeySerial } from './signing-key.js';

/** The GlobalSecret type that holds signing keys and revocation lists. */
export const GLOBAL_SECRET_TYPE = 'GlobalSecret';

/** What the cache knows about one GlobalSecret: its parsed value, or that it is gone. */
interface Entry {
  readonly version: number;
  readonly key?: SigningKey;
  readonly revoked?: ReadonlySet<string>;
}

/** In-memory view of a token kind's signing keys and revocations, kept current by store events. */
export interface TokenMaterialCache {
  /** Resolves once the initial load from the store is done; later calls resolve at once. */
  ready(): Promise<void>;
  /** The key with this serial, if present. */
  key(serial: number): SigningKey | undefined;
  /** The key with the highest serial (the one that signs), if any. */
  latestKey(): SigningKey | undefined;
  isRevoked(jti: string): boolean;
  /** Applies a resource this process just wrote, without waiting for its change event. */
  apply(resource: Resource): Promise<void>;
  close(): void;
}

/**
 * Builds the cache. Every entry remembers the store version it came from and only newer
 * information replaces it, so change events racing the initial load (or each other, while
 * keys are being imported) cannot roll the view back.
 */
export function createTokenMaterialCache(store: ResourceStore, kind: string, logger: Logger): TokenMaterialCache {
  const entries = new Map<string, Entry>();
  const revocations = revocationsName(kind);
  const prefix = `${kind}-token-`;
  let latest: SigningKey | undefined;
  let revoked: ReadonlySet<string> = new Set();
  let loading: Promise<void> | undefined;

  const recompute = (): void => {
    latest = undefined;
    revoked = new Set();
    for (const entry of entries.values()) {
      if (entry.key !== undefined && (latest === undefined || entry.key.serial > latest.serial)) latest = entry.key;
      if (entry.revoked !== undefined) revoked = entry.revoked;
    }
  };

  const setEntry = (name: string, entry: Entry): void => {
    const current = entries.get(name);
    if (current !== undefined && current.version >= entry.version) return;
    entries.set(name, entry);
    recompute();
  };

  const parse = async (r: Resource): Promise<Entry | undefined> => {
    const data = (r.spec as { data?: unknown } | undefined)?.data;
    const version = r.meta.version;
    if (r.meta.name === revocations) return { version, revoked: decodeRevocations(data) };
    const serial = signingKeySerial(kind, r.meta.name);
    if (serial === undefined) return undefined;
    try {
      if (typeof data !== 'string') throw new Error('data is not a string');
      return { version, key: await importSigningKey(serial, Buffer.from(data, 'base64').toString('utf8')) };
    } catch (err) {
      // Never log the key material itself: name and reason only.
      logger.warn({ secret: r.meta.name, reason: (err as Error).message }, 'ignoring unreadable token signing key');
      return { version };
    }
  };

  const apply = async (r: Resource): Promise<void> => {
    const entry = await parse(r);
    if (entry !== undefined) setEntry(r.meta.name, entry);
  };

  const relevant = (type: string, name: string): boolean => type === GLOBAL_SECRET_TYPE && name.startsWith(prefix);

  const unsubscribe = store.subscribe((event) => {
    if (!relevant(event.key.type, event.key.name)) return;
    if (event.op === 'delete') {
      setEntry(event.key.name, { version: event.revision });
      return;
    }
    apply(event.resource).catch((err: unknown) => {
      logger.error({ secret: event.key.name, reason: (err as Error).message }, 'failed to refresh token material');
    });
  });

  const load = async (): Promise<void> => {
    const page = await store.list({ type: GLOBAL_SECRET_TYPE, nameContains: prefix });
    await Promise.all(page.items.filter((r) => relevant(r.type, r.meta.name)).map(apply));
  };

  return Object.freeze({
    ready(): Promise<void> {
      if (loading === undefined) {
        loading = load().catch((err: unknown) => {
          loading = undefined; // let the next caller retry
          throw err;
        });
      }
      return loading;
    },
    key: (serial: number) => entries.get(signingKeyName(kind, serial))?.key,
    latestKey: () => latest,
    isRevoked: (jti: string) => revoked.has(jti),
    apply,
    close: unsubscribe,
  });
}
