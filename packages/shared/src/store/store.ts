import type { Resource, ResourceInput, ResourceKey } from '../model/resource.js';

/** A filtered, paginated list request. Results are ordered by mesh, then name. */
export interface ListQuery {
  readonly type: string;
  /** Only resources of this mesh; omit for all meshes (or a global-scoped type). */
  readonly mesh?: string;
  /** Every label given must be present with this exact value (ANDed). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Only names containing this substring. */
  readonly nameContains?: string;
  /** Page size; omit for everything. */
  readonly size?: number;
  /** Number of matching items to skip. */
  readonly offset?: number;
}

/** One page of a list. */
export interface ListPage {
  readonly items: readonly Resource[];
  /** Number of items matching the query over all pages. */
  readonly total: number;
  /** Offset of the next page, absent on the last page. */
  readonly nextOffset?: number;
}

/** Preconditions of a write. */
export interface WriteOptions {
  /** Fail with `Conflict` unless the stored version equals this. */
  readonly expectedVersion?: number;
}

/**
 * One write of a batch ({@link ResourceStore.applyBatch}), with the semantics and errors of the
 * single-resource method of the same name.
 */
export type WriteOp =
  | { readonly op: 'create'; readonly input: ResourceInput }
  | { readonly op: 'update'; readonly input: ResourceInput; readonly options?: WriteOptions }
  | { readonly op: 'delete'; readonly key: ResourceKey; readonly options?: WriteOptions };

/** What happened to one resource. Emitted after the write is durable, in commit order. */
export interface ChangeEvent {
  readonly op: 'create' | 'update' | 'delete';
  readonly key: ResourceKey;
  /** Store revision of this change (the resource's new version, or the deletion's revision). */
  readonly revision: number;
  /** The resource after the change; for `delete`, the resource as it was. */
  readonly resource: Resource;
}

/** Receives change events; must not throw, must not block. */
export type ChangeListener = (event: ChangeEvent) => void;

/**
 * The resource store contract. Every store (memory, sqlite, later postgres) passes the same
 * contract suite (`store/contract-suite.ts`, `runStoreContract` in `@strait/shared/testing`).
 * Errors are `StraitError`s with codes NotFound, AlreadyExists, Conflict or Invalid (and
 * Unavailable once closed). Each call is atomic: it fully happens or not at all, including
 * cascades. Returned resources are immutable snapshots.
 */
export interface ResourceStore {
  /** Creates a resource; `AlreadyExists` if the key is taken, `NotFound` if its owner (or mesh) is missing. */
  create(input: ResourceInput, options?: WriteOptions): Promise<Resource>;
  /** Replaces spec, labels and status of an existing resource; `NotFound` if absent, `Conflict` on version mismatch. */
  update(input: ResourceInput, options?: WriteOptions): Promise<Resource>;
  /**
   * Deletes a resource and, in the same transaction, everything it owns (transitively).
   * Deleting a Mesh deletes every resource of that mesh. `NotFound` if absent; `Conflict` if
   * `expectedVersion` differs from the root's version. Emits one `delete` event per removed
   * resource, dependents before their owner (the root last), each with its own revision.
   */
  delete(key: ResourceKey, options?: WriteOptions): Promise<void>;
  /**
   * Applies `ops` in order, in one transaction: each op sees the effects of the ops before it,
   * and either every op happens or none does. On failure nothing is written, no event is
   * emitted, the revision does not move, and the error (the failing op's code: NotFound,
   * AlreadyExists, Conflict, Invalid) names the op by index, kind and key, with the op's own
   * error as its `cause`. On success the events are exactly those the same single-op calls
   * would have emitted (one revision per event, in op order, a delete's cascade included),
   * published after the commit; they are also returned. An empty batch writes nothing.
   */
  applyBatch(ops: readonly WriteOp[]): Promise<readonly ChangeEvent[]>;
  /** The resource, or undefined. */
  get(key: ResourceKey): Promise<Resource | undefined>;
  list(query: ListQuery): Promise<ListPage>;
  /** Calls `listener` for every change from now on; returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void;
  /** The revision of the latest committed change (0 for an empty, new store). */
  revision(): Promise<number>;
  close(): Promise<void>;
}
