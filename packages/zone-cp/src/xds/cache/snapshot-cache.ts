/**
 * The per-proxy snapshot cache between the generators and the ADS server. Generators `set` a
 * proxy's full, freshly generated config after every relevant store change; the cache hashes
 * each resource once, keeps the old version (and object) of everything whose content did not
 * change, and tells the proxy's stream only which types actually changed. Unchanged config
 * therefore costs one hash per resource and never reaches the wire; a type whose input lists the
 * very objects of the previous input (generators hand back unchanged resources as the same
 * objects) costs not even that.
 */

import type { Message, Registry } from '@bufbuild/protobuf';
import { toBinary } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { envoyRegistry } from '@strait/proto/envoy';
import { invalid, type Violation } from '@strait/shared';
import { hashResourceBytes, hashResourceSet } from './resource-hash.js';
import { createResourcePool, type ResourcePool } from './resource-pool.js';
import type {
  Snapshot,
  SnapshotInput,
  SnapshotResource,
  SnapshotTypeResources,
  XdsResourceInput,
  XdsResourcesInput,
} from './snapshot.js';

/**
 * Called after a proxy's snapshot changed, with the new snapshot and the type URLs whose
 * resources differ from the previous snapshot (on a proxy's first snapshot: every type in it).
 * Runs synchronously inside `set`; it must be cheap and must not throw.
 */
export type SnapshotListener = (snapshot: Snapshot, changedTypeUrls: ReadonlySet<string>) => void;

/** Per-proxy xDS snapshots. */
export interface SnapshotCache {
  /**
   * Replaces the proxy's snapshot with `input` and returns the type URLs that changed (empty
   * when everything is identical, in which case watchers are not called). Throws a
   * `StraitError` (Invalid) when a resource cannot be packed or is filed under the wrong type;
   * the previous snapshot then stays.
   */
  set(proxyId: string, input: SnapshotInput): ReadonlySet<string>;
  /** The proxy's current snapshot, if one was set. */
  get(proxyId: string): Snapshot | undefined;
  /** Forgets the proxy's snapshot (its watchers stay registered and fire on the next `set`). */
  delete(proxyId: string): boolean;
  /** Calls `listener` on every change of the proxy's snapshot; returns the unsubscribe function. */
  watch(proxyId: string, listener: SnapshotListener): () => void;
  /** Proxies with a snapshot, and distinct resources held across all of them. */
  stats(): { readonly proxies: number; readonly distinctResources: number };
}

/** Options of {@link createSnapshotCache}. */
export interface SnapshotCacheOptions {
  /** Resolves the schemas of message inputs for packing; default: every Envoy message Strait generates. */
  readonly registry?: Registry;
}

const ANY_TYPE_NAME = 'google.protobuf.Any';
const TYPE_URL_PREFIX = 'type.googleapis.com/';

/** A resource packed and hashed, before it is interned. */
interface Packed {
  readonly name: string;
  readonly version: string;
  readonly bytes: Uint8Array;
}

/** The resources of one type as an input listed them: name and object, in order. */
type InputEntries = readonly (readonly [string, XdsResourceInput])[];

/** Whether two inputs of one type list the very same objects under the same names, in the same order. */
function sameEntries(a: InputEntries | undefined, b: InputEntries): boolean {
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined || x[0] !== y[0] || x[1] !== y[1]) return false;
  }
  return true;
}

/** Creates an empty {@link SnapshotCache}. */
export function createSnapshotCache(options: SnapshotCacheOptions = {}): SnapshotCache {
  const registry = options.registry ?? envoyRegistry;
  const pool = createResourcePool();
  const snapshots = new Map<string, Snapshot>();
  const watchers = new Map<string, Set<SnapshotListener>>();
  // Per proxy, what its last accepted input listed per type. Generators hand back unchanged
  // resources as the same objects; a type listing exactly those again is unchanged.
  const lastInputs = new Map<string, ReadonlyMap<string, InputEntries>>();

  // Generators share one message object between proxies (see GenerationMemo): pack and hash it once.
  const packedByObject = new WeakMap<object, { bytes: Uint8Array; version: string }>();

  function packAll(input: ReadonlyMap<string, InputEntries>): Map<string, Packed[]> {
    const packed = new Map<string, Packed[]>();
    const violations: Violation[] = [];
    for (const [typeUrl, entries] of input) {
      const list: Packed[] = [];
      for (const [name, resource] of entries) {
        const known = packedByObject.get(resource);
        if (known !== undefined) {
          list.push({ name, bytes: known.bytes, version: known.version });
          continue;
        }
        const bytes = packResource(registry, typeUrl, name, resource, violations);
        if (bytes === undefined) continue;
        const version = hashResourceBytes(bytes);
        packedByObject.set(resource, { bytes, version });
        list.push({ name, bytes, version });
      }
      if (list.length > 0) packed.set(typeUrl, list);
    }
    if (violations.length > 0) throw invalid(violations, 'xDS snapshot');
    return packed;
  }

  return {
    set(proxyId, input) {
      const previous = snapshots.get(proxyId);
      const seen = previous === undefined ? undefined : lastInputs.get(proxyId);
      const entries = new Map<string, InputEntries>();
      const toPack = new Map<string, InputEntries>();
      for (const [typeUrl, resources] of Object.entries(input)) {
        const list = [...entriesOf(resources)];
        entries.set(typeUrl, list);
        if (!sameEntries(seen?.get(typeUrl), list)) toPack.set(typeUrl, list);
      }
      // Pack and hash everything new first: a bad input throws before the pool is touched.
      const packed = packAll(toPack);
      const types = new Map<string, SnapshotTypeResources>();
      const changed = new Set<string>();
      for (const typeUrl of entries.keys()) {
        const before = previous?.types.get(typeUrl);
        if (!toPack.has(typeUrl)) {
          // The same objects as last time (a type without resources has no entry either way).
          if (before !== undefined) types.set(typeUrl, before);
          continue;
        }
        const list = packed.get(typeUrl);
        if (list === undefined) continue;
        const after = mergeType(pool, typeUrl, list, before);
        types.set(typeUrl, after);
        if (after !== before) changed.add(typeUrl);
      }
      lastInputs.set(proxyId, entries);
      for (const [typeUrl, before] of previous?.types ?? []) {
        if (types.get(typeUrl) === before) continue;
        if (!types.has(typeUrl)) changed.add(typeUrl);
        for (const resource of before.resources.values()) pool.release(typeUrl, resource);
      }
      if (previous !== undefined && changed.size === 0) return changed;

      const snapshot: Snapshot = Object.freeze({ types });
      snapshots.set(proxyId, snapshot);
      for (const listener of watchers.get(proxyId) ?? []) listener(snapshot, changed);
      return changed;
    },
    get(proxyId) {
      return snapshots.get(proxyId);
    },
    delete(proxyId) {
      const previous = snapshots.get(proxyId);
      if (previous === undefined) return false;
      for (const [typeUrl, resources] of previous.types) {
        for (const resource of resources.resources.values()) pool.release(typeUrl, resource);
      }
      lastInputs.delete(proxyId);
      return snapshots.delete(proxyId);
    },
    watch(proxyId, listener) {
      let set = watchers.get(proxyId);
      if (set === undefined) {
        set = new Set();
        watchers.set(proxyId, set);
      }
      set.add(listener);
      return () => {
        const current = watchers.get(proxyId);
        if (current === undefined) return;
        current.delete(listener);
        if (current.size === 0) watchers.delete(proxyId);
      };
    },
    stats() {
      return { proxies: snapshots.size, distinctResources: pool.size };
    },
  };
}

/**
 * Builds the new resources of one type, reusing `before` itself when nothing in it changed
 * (so its references carry over) and otherwise taking one pool reference per member (the
 * caller releases `before`'s).
 */
function mergeType(
  pool: ResourcePool,
  typeUrl: string,
  list: readonly Packed[],
  before: SnapshotTypeResources | undefined,
): SnapshotTypeResources {
  let same = before !== undefined && before.resources.size === list.length;
  if (same) {
    for (const p of list) {
      if (before?.resources.get(p.name)?.version !== p.version) {
        same = false;
        break;
      }
    }
  }
  if (same && before !== undefined) return before;

  const resources = new Map<string, SnapshotResource>();
  for (const p of list) {
    const kept = before?.resources.get(p.name);
    if (kept !== undefined && kept.version === p.version) {
      pool.retain(typeUrl, kept);
      resources.set(p.name, kept);
    } else {
      resources.set(p.name, pool.acquire(typeUrl, p.name, p.version, p.bytes));
    }
  }
  return Object.freeze({ typeUrl, version: hashResourceSet(resources.values()), resources });
}

function entriesOf(resources: XdsResourcesInput): Iterable<[string, XdsResourceInput]> {
  return resources instanceof Map
    ? (resources as ReadonlyMap<string, XdsResourceInput>).entries()
    : Object.entries(resources as Readonly<Record<string, XdsResourceInput>>);
}

/** Serializes one resource, or records why it cannot be filed under `typeUrl`. */
function packResource(
  registry: Registry,
  typeUrl: string,
  name: string,
  resource: XdsResourceInput,
  violations: Violation[],
): Uint8Array | undefined {
  const field = `${typeUrl}[${name}]`;
  if (name === '') {
    violations.push({ field, reason: 'resource name must not be empty' });
    return undefined;
  }
  if (resource.$typeName === ANY_TYPE_NAME) {
    const any = resource as Any;
    if (any.typeUrl !== typeUrl) {
      violations.push({ field, reason: `packed type ${any.typeUrl} does not match the type URL` });
      return undefined;
    }
    return any.value;
  }
  if (`${TYPE_URL_PREFIX}${resource.$typeName}` !== typeUrl) {
    violations.push({ field, reason: `message type ${resource.$typeName} does not match the type URL` });
    return undefined;
  }
  const schema = registry.getMessage(resource.$typeName);
  if (schema === undefined) {
    violations.push({ field, reason: `message type ${resource.$typeName} is not in the registry` });
    return undefined;
  }
  return toBinary(schema, resource as Message);
}
