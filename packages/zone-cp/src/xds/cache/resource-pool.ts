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
  // Retain and release name a resource the pool handed out: find its entry by identity, without
  // building and hashing its content key (a mesh-wide regeneration does this for every resource).
  const byResource = new Map<SnapshotResource, Entry>();
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
      const entry = { resource, refs: 1 };
      entries.set(key, entry);
      byResource.set(resource, entry);
      return resource;
    },
    retain(_typeUrl, resource) {
      const entry = byResource.get(resource);
      if (entry !== undefined) entry.refs += 1;
    },
    release(typeUrl, resource) {
      const entry = byResource.get(resource);
      if (entry === undefined) return;
      entry.refs -= 1;
      if (entry.refs > 0) return;
      byResource.delete(resource);
      entries.delete(keyOf(typeUrl, resource.name, resource.version));
    },
    get size() {
      return entries.size;
    },
  };
}
