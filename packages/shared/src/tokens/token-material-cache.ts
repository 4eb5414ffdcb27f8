import type { Logger } from '../logging/logger.js';
import type { Resource } from '../model/resource.js';
import type { ResourceStore } from '../store/store.js';
import { decodeRevocations, revocationsName } from './revocation-list.js';
import {
  importSigningKey,
  importVerificationKey,
  type SigningKey,
  signingKeyName,
  signingKeySerial,
  signingPublicKeyName,
  signingPublicKeySerial,
  type VerificationKey,
} from './signing-key.js';

/** The GlobalSecret type that holds signing keys and revocation lists. */
export const GLOBAL_SECRET_TYPE = 'GlobalSecret';

/** What the cache knows about one GlobalSecret: its parsed value, or that it is gone. */
interface Entry {
  readonly version: number;
  /** An own signing key (`<kind>-token-signing-key-N`): signs and verifies. */
  readonly key?: SigningKey;
  /** A public key another CP signs with (`<kind>-token-signing-public-key-N`): verifies only. */
  readonly publicKey?: VerificationKey;
  readonly revoked?: ReadonlySet<string>;
}

/**
 * In-memory view of a token kind's signing keys and revocations, kept current by store events.
 *
 * Two kinds of keys: the CP's own signing keys (private, `<kind>-token-signing-key-N`), and the
 * public keys of the global CP's signing keys, which a zone receives over KDS
 * (`<kind>-token-signing-public-key-N`). A zone therefore verifies both the tokens it issued and
 * those the global issued, and signs only with its own keys. The two key sets are numbered
 * independently, so a `kid` may name one key of each: both are candidates.
 */
export interface TokenMaterialCache {
  /** Resolves once the initial load from the store is done; later calls resolve at once. */
  ready(): Promise<void>;
  /** The own signing key with this serial, if present. */
  key(serial: number): SigningKey | undefined;
  /** Keys that may have signed a token whose `kid` is `serial`: the own key first, then the public one. */
  verificationKeys(serial: number): readonly VerificationKey[];
  /** The own key with the highest serial (the one that signs), if any. */
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
    const publicSerial = signingPublicKeySerial(kind, r.meta.name);
    if (serial === undefined && publicSerial === undefined) return undefined;
    try {
      if (typeof data !== 'string') throw new Error('data is not a string');
      const pem = Buffer.from(data, 'base64').toString('utf8');
      if (serial !== undefined) return { version, key: await importSigningKey(serial, pem) };
      return { version, publicKey: await importVerificationKey(publicSerial as number, pem) };
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
    verificationKeys(serial: number): readonly VerificationKey[] {
      const own = entries.get(signingKeyName(kind, serial))?.key;
      const peer = entries.get(signingPublicKeyName(kind, serial))?.publicKey;
      return [own, peer].filter((k): k is VerificationKey => k !== undefined);
    },
    latestKey: () => latest,
    isRevoked: (jti: string) => revoked.has(jti),
    apply,
    close: unsubscribe,
  });
}
