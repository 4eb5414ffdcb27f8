/**
 * The in-memory store (tests, and single-process setups that need no persistence). State is
 * a map by key plus, per type, an array kept sorted by (mesh, name), so `list` is one pass
 * over the type (or, with a mesh filter, over that mesh's range) and never sorts.
 */
import type { Resource, ResourceKey } from '../model/resource.js';
import { createChangeFeed, type ListenerErrorHandler } from './change-feed.js';
import { queryList, searchSorted } from './list-query.js';
import { isMesh, keyId, resourceId } from './ownership.js';
import { assembleResource, deepFreeze, toJsonText } from './snapshot.js';
import type { ChangeEvent, ResourceStore } from './store.js';
import { storeClosed } from './store-errors.js';
import { checkKey, checkListQuery } from './validate-input.js';
import { applyBatch, applyCreate, applyDelete, applyUpdate, type WriteTarget } from './write-ops.js';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Clock for creation and modification times; default `() => new Date()`. */
  readonly now?: () => Date;
  /** Receives what a change listener threw; default: ignored. */
  readonly onListenerError?: ListenerErrorHandler;
}

/** A JSON round trip: the memory store keeps exactly what the SQLite store would. */
function jsonCopy(value: unknown, field: string): unknown {
  return value === undefined ? undefined : JSON.parse(toJsonText(value, field));
}

/** Copies a draft into a frozen snapshot that shares nothing with the caller's input. */
function snapshot(draft: Resource): Resource {
  return deepFreeze(
    assembleResource({
      type: draft.type,
      name: draft.meta.name,
      mesh: draft.meta.mesh,
      labels: { ...draft.meta.labels },
      version: draft.meta.version,
      creationTime: draft.meta.creationTime,
      modificationTime: draft.meta.modificationTime,
      owner: draft.meta.owner === undefined ? undefined : { ...draft.meta.owner },
      spec: jsonCopy(draft.spec, 'spec'),
      status: jsonCopy(draft.status, 'status'),
    }),
  );
}

function addToIndex(index: Map<string, Set<string>>, group: string, id: string): void {
  let members = index.get(group);
  if (members === undefined) {
    members = new Set();
    index.set(group, members);
  }
  members.add(id);
}

function removeFromIndex(index: Map<string, Set<string>>, group: string, id: string): void {
  const members = index.get(group);
  if (members === undefined) return;
  members.delete(id);
  if (members.size === 0) index.delete(group);
}

/** Creates an empty in-memory {@link ResourceStore}; its revision starts at 0. */
export function createMemoryStore(options: MemoryStoreOptions = {}): ResourceStore {
  const now = options.now ?? (() => new Date());
  const feed = createChangeFeed(options.onListenerError);
  const byId = new Map<string, Resource>();
  const sortedByType = new Map<string, Resource[]>();
  /** Explicit owner id → ids of what it owns. */
  const byOwner = new Map<string, Set<string>>();
  /** Mesh name → ids of the resources of that mesh. */
  const byMesh = new Map<string, Set<string>>();
  /** Types whose sorted array still holds resources removed by the current write. */
  const removedFrom = new Set<string>();
  let revision = 0;
  let closed = false;

  const resolve = (ids: Set<string> | undefined): Resource[] => {
    const out: Resource[] = [];
    for (const id of ids ?? []) {
      const r = byId.get(id);
      if (r !== undefined) out.push(r);
    }
    return out;
  };

  const index = (r: Resource, add: boolean): void => {
    const id = resourceId(r);
    const edit = add ? addToIndex : removeFromIndex;
    if (r.meta.owner !== undefined) edit(byOwner, keyId(r.meta.owner), id);
    if (r.meta.mesh !== undefined) edit(byMesh, r.meta.mesh, id);
  };

  /** Adds a stored snapshot to the map, its type's sorted array and the owner/mesh indexes. */
  const put = (stored: Resource): void => {
    let sorted = sortedByType.get(stored.type);
    if (sorted === undefined) {
      sorted = [];
      sortedByType.set(stored.type, sorted);
    }
    sorted.splice(searchSorted(sorted, stored.meta.mesh, stored.meta.name).index, 0, stored);
    byId.set(resourceId(stored), stored);
    index(stored, true);
  };

  /** Puts `stored` in place of the resource of its key; returns the one it replaced. */
  const swap = (stored: Resource): Resource => {
    const id = resourceId(stored);
    const previous = byId.get(id);
    const sorted = sortedByType.get(stored.type);
    if (previous === undefined || sorted === undefined) throw new Error(`replace of absent ${id}`);
    sorted[searchSorted(sorted, stored.meta.mesh, stored.meta.name).index] = stored;
    index(previous, false);
    byId.set(id, stored);
    index(stored, true);
    return previous;
  };

  /**
   * Takes a resource out of the map and indexes. Its sorted array is compacted once per write
   * (see `compact`): a mesh cascade removes thousands of resources, and one splice each would
   * make it quadratic.
   */
  const drop = (resource: Resource): void => {
    byId.delete(resourceId(resource));
    index(resource, false);
    removedFrom.add(resource.type);
  };

  /** How to take back each mutation of the running write, oldest first (a batch can fail late). */
  const undo: (() => void)[] = [];

  const target: WriteTarget = {
    head: (key) => byId.get(keyId(key))?.meta,
    get: (key) => byId.get(keyId(key)),
    dependents(owner) {
      const owned = resolve(byOwner.get(resourceId(owner)));
      return isMesh(owner) ? [...owned, ...resolve(byMesh.get(owner.meta.name))] : owned;
    },
    nextRevision: () => ++revision,
    insert(draft) {
      const stored = snapshot(draft);
      put(stored);
      undo.push(() => drop(stored));
      return stored;
    },
    replace(draft) {
      const stored = snapshot(draft);
      const previous = swap(stored);
      undo.push(() => swap(previous));
      return stored;
    },
    remove(resource) {
      drop(resource);
      undo.push(() => put(resource));
    },
  };

  // A sorted array may hold entries of removed resources until compacted; an entry is live
  // exactly when the map holds that very snapshot, so compaction also settles a key removed
  // and inserted again within one write (or one rollback).
  const compact = (): void => {
    for (const type of removedFrom) {
      const kept = (sortedByType.get(type) ?? []).filter((r) => byId.get(resourceId(r)) === r);
      if (kept.length === 0) sortedByType.delete(type);
      else sortedByType.set(type, kept);
    }
    removedFrom.clear();
  };

  /** Takes back every mutation of the failed write, newest first. */
  const rollback = (): void => {
    compact();
    for (let step = undo.pop(); step !== undefined; step = undo.pop()) step();
    compact();
  };

  /**
   * Runs a write. A single op checks everything before its first mutation; a batch may fail
   * after earlier ops mutated, so every mutation is journaled and a failure rolls the maps and
   * the revision counter back. Removals are compacted out of the sorted arrays before returning.
   */
  const write = <T>(fn: () => T, events: (result: T) => readonly ChangeEvent[]): T => {
    if (closed) throw storeClosed();
    const before = revision;
    let result: T;
    try {
      result = fn();
    } catch (err) {
      rollback();
      revision = before;
      throw err;
    } finally {
      undo.length = 0;
      compact();
    }
    feed.publish(events(result));
    return result;
  };

  return {
    async create(input) {
      return write(
        () => applyCreate(target, input, now),
        (e) => [e],
      ).resource;
    },
    async update(input, writeOptions) {
      return write(
        () => applyUpdate(target, input, writeOptions, now),
        (e) => [e],
      ).resource;
    },
    async delete(key, writeOptions) {
      write(
        () => applyDelete(target, key, writeOptions),
        (events) => events,
      );
    },
    async applyBatch(ops) {
      if (ops.length === 0) {
        if (closed) throw storeClosed();
        return [];
      }
      return write(
        () => applyBatch(target, ops, now),
        (events) => events,
      );
    },
    async get(key: ResourceKey) {
      if (closed) throw storeClosed();
      checkKey(key);
      return byId.get(keyId(key));
    },
    async list(query) {
      if (closed) throw storeClosed();
      checkListQuery(query);
      return queryList(sortedByType.get(query.type) ?? [], query);
    },
    subscribe: (listener) => feed.subscribe(listener),
    async revision() {
      if (closed) throw storeClosed();
      return revision;
    },
    async close() {
      closed = true;
      feed.clear();
    },
  };
}
