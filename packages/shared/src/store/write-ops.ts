/**
 * The write semantics of every store, written once against a small `WriteTarget` that each
 * store implements over its own storage. A store runs one of these functions inside one
 * transaction and publishes the returned events after commit. A single op checks everything
 * before its first mutation, so it is atomic without rollback where mutations cannot fail
 * (memory); a batch can fail after earlier ops mutated, so each store undoes those (SQLite by
 * rolling back its transaction, memory by replaying its journal backwards).
 */
import { formatKey, keyOf, type Resource, type ResourceInput, type ResourceKey } from '../model/resource.js';
import { cascadeOrder, implicitMeshOwner, wouldCycle } from './ownership.js';
import { assembleResource, deepFreeze, makeKey, rfc3339 } from './snapshot.js';
import type { ChangeEvent, WriteOp, WriteOptions } from './store.js';
import {
  alreadyExists,
  batchOpFailed,
  meshNotFound,
  ownerCycle,
  ownerNotFound,
  resourceNotFound,
  versionConflict,
} from './store-errors.js';
import { checkInput, checkKey, invalidBatchOp } from './validate-input.js';

/** The metadata a write needs about a stored resource, cheap to read (no spec). */
export interface ResourceHead {
  readonly version: number;
  readonly creationTime: string;
  readonly owner?: ResourceKey;
}

/** One store's storage, as seen from inside a write transaction. */
export interface WriteTarget {
  /** The head of a stored resource, or undefined. */
  head(key: ResourceKey): ResourceHead | undefined;
  /** A stored resource, or undefined. */
  get(key: ResourceKey): Resource | undefined;
  /** What `owner` directly owns: explicit owner references and, for a Mesh, its mesh's resources. */
  dependents(owner: Resource): Iterable<Resource>;
  /** Takes the next store revision. */
  nextRevision(): number;
  /** Stores a new resource (its key is free); returns the stored, frozen snapshot. */
  insert(draft: Resource): Resource;
  /** Overwrites an existing resource; returns the stored, frozen snapshot. */
  replace(draft: Resource): Resource;
  /** Removes one stored resource (its dependents are removed by separate calls). */
  remove(resource: Resource): void;
}

function normaliseKey(key: ResourceKey): ResourceKey {
  return makeKey(key.type, key.mesh, key.name);
}

function changeEvent(op: ChangeEvent['op'], key: ResourceKey, revision: number, resource: Resource): ChangeEvent {
  return deepFreeze<ChangeEvent>({ op, key, revision, resource });
}

function checkVersion(key: ResourceKey, options: WriteOptions | undefined, actual: number): void {
  const expected = options?.expectedVersion;
  if (expected !== undefined && expected !== actual) throw versionConflict(key, expected, actual);
}

/** `create`: the key must be free, its mesh and explicit owner must exist. */
export function applyCreate(target: WriteTarget, input: ResourceInput, now: () => Date): ChangeEvent {
  checkInput(input);
  const key = keyOf(input);
  if (target.head(key) !== undefined) throw alreadyExists(key);
  const mesh = implicitMeshOwner(key);
  if (mesh !== undefined && target.head(mesh) === undefined) throw meshNotFound(key, mesh.name);
  const owner = input.owner === undefined ? undefined : normaliseKey(input.owner);
  if (owner !== undefined && target.head(owner) === undefined) throw ownerNotFound(key, owner);
  const revision = target.nextRevision();
  const time = rfc3339(now());
  const resource = target.insert(
    assembleResource({
      type: key.type,
      name: key.name,
      mesh: key.mesh,
      labels: input.labels ?? {},
      version: revision,
      creationTime: time,
      modificationTime: time,
      owner,
      spec: input.spec,
      status: input.status,
    }),
  );
  return changeEvent('create', key, revision, resource);
}

/** `update`: replaces labels, spec and status; keeps creation time and (unless given) owner. */
export function applyUpdate(
  target: WriteTarget,
  input: ResourceInput,
  options: WriteOptions | undefined,
  now: () => Date,
): ChangeEvent {
  checkInput(input);
  const key = keyOf(input);
  const current = target.head(key);
  if (current === undefined) throw resourceNotFound(key);
  checkVersion(key, options, current.version);
  let owner = current.owner;
  if (input.owner !== undefined) {
    owner = normaliseKey(input.owner);
    if (target.head(owner) === undefined) throw ownerNotFound(key, owner);
    if (wouldCycle(key, owner, (k) => target.head(k)?.owner)) throw ownerCycle(key, owner);
  }
  const revision = target.nextRevision();
  const resource = target.replace(
    assembleResource({
      type: key.type,
      name: key.name,
      mesh: key.mesh,
      labels: input.labels ?? {},
      version: revision,
      creationTime: current.creationTime,
      modificationTime: rfc3339(now()),
      owner,
      spec: input.spec,
      status: input.status,
    }),
  );
  return changeEvent('update', key, revision, resource);
}

/**
 * `delete`: removes the resource and everything it owns, dependents first, each removal
 * taking its own revision (so revisions stay one per event).
 */
export function applyDelete(target: WriteTarget, key: ResourceKey, options: WriteOptions | undefined): ChangeEvent[] {
  checkKey(key);
  const root = target.get(key);
  if (root === undefined) throw resourceNotFound(key);
  checkVersion(key, options, root.meta.version);
  return cascadeOrder(root, (owner) => target.dependents(owner)).map((resource) => {
    target.remove(resource);
    return changeEvent('delete', keyOf(resource), target.nextRevision(), resource);
  });
}

/** `kind Type mesh/name` of an op, for errors (tolerates a malformed op). */
function describeOp(op: WriteOp): string {
  if (typeof op !== 'object' || op === null) return String(op);
  const key: unknown = op.op === 'delete' ? op.key : op.input;
  const text = typeof key === 'object' && key !== null ? formatKey(key as ResourceKey) : 'with no key';
  return `${String(op.op)} ${text}`;
}

function applyOne(target: WriteTarget, op: WriteOp, now: () => Date): ChangeEvent | ChangeEvent[] {
  if (typeof op !== 'object' || op === null) throw invalidBatchOp(op);
  switch (op.op) {
    case 'create':
      return applyCreate(target, op.input, now);
    case 'update':
      return applyUpdate(target, op.input, op.options, now);
    case 'delete':
      return applyDelete(target, op.key, op.options);
    default:
      throw invalidBatchOp(op);
  }
}

/**
 * A batch: every op in order against the same target (one transaction), each seeing the ones
 * before it. The first failure is rethrown naming the op; the store then rolls back what the
 * earlier ops did. Returns every event, in order.
 */
export function applyBatch(target: WriteTarget, ops: readonly WriteOp[], now: () => Date): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  for (const [index, op] of ops.entries()) {
    let result: ChangeEvent | ChangeEvent[];
    try {
      result = applyOne(target, op, now);
    } catch (err) {
      throw batchOpFailed(index, describeOp(op), err);
    }
    if (Array.isArray(result)) for (const event of result) events.push(event);
    else events.push(result);
  }
  return events;
}
