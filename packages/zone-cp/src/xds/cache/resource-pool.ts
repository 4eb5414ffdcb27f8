/**
 * Interns snapshot resources across proxies. Thousands of proxies of one mesh receive the same
 * clusters and endpoints; keeping one packed copy per (type, name, content) instead of one per
 * proxy bounds memory by the number of distinct resources, not proxies × resources.
 * Reference-counted so a resource leaves the pool when the last snapshot holding it goes.
 */

import { create } from '@bufbuild/protobuf';
import { AnySchema } from '@bufbuild/protobuf/wkt';
import type { SnapshotResource } from './snapshot.js';

/** The interning pool of {@link SnapshotResource}s. */
export interface ResourcePool {
  /**
   * Returns the pooled resource for this content (creating it from `bytes` if new) and takes a
   * reference on it.
   */
  acquire(typeUrl: string, name: string, version: string, bytes: Uint8Array): SnapshotResource;
  /** Takes one more reference on a resource already held (a snapshot keeping it unchanged). */
  retain(typeUrl: string, resource: SnapshotResource): void;
  /** Drops one reference; the last one removes the resource from the pool. */
  release(typeUrl: string, resource: SnapshotResource): void;
  /** Distinct resources held (tests, metrics). */
  readonly size: number;
}

interface Entry {
  readonly resource: SnapshotResource;
  refs: number;
}

/** Creates an empty {@link ResourcePool}. */
export function createResourcePool(): ResourcePool {
  const entries = new Map<string, Entry>();
  const keyOf = (typeUrl: string, name: string, version: string) => `${typeUrl}\u0000${name}\u0000${version}`;

  return {
    acquire(typeUrl, name, version, bytes) {
      const key = keyOf(typeUrl, name, version);
      const found = entries.get(key);
      if (found !== undefined) {
        found.refs += 1;
        return found.resource;
      }
      const resource: SnapshotResource = Object.freeze({
        name,
        version,
        resource: create(AnySchema, { typeUrl, value: bytes }),
      });
      entries.set(key, { resource, refs: 1 });
      return resource;
    },
    retain(typeUrl, resource) {
      const entry = entries.get(keyOf(typeUrl, resource.name, resource.version));
      if (entry !== undefined) entry.refs += 1;
    },
    release(typeUrl, resource) {
      const key = keyOf(typeUrl, resource.name, resource.version);
      const entry = entries.get(key);
      if (entry === undefined) return;
      entry.refs -= 1;
      if (entry.refs <= 0) entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
