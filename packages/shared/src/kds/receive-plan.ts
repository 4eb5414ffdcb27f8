/**
 * How a KDS receiver turns one response into store writes: every resource and removed name is
 * checked (envelope, schema, the flow's rules, that only this peer's copies are touched), and
 * what changes becomes one batch of conditional writes (`ResourceStore.applyBatch`), so a
 * response is stored in one transaction or not at all.
 *
 * The writes are conditioned on what validation read: a create on the key being free, an
 * update or delete on the version it saw. Validation may read the store two ways (a
 * {@link StoreLookup}): one listing of the copies this peer holds (cheap for a large response,
 * e.g. an initial sync), where a key it does not list is taken to be free; or one `get` per key
 * (exact). When the batch then fails because the store is not what the lookup said (a key is
 * taken, a version moved), the receiver plans again with exact reads.
 */

import type { DeltaDiscoveryResponse } from '@strait/proto/envoy';
import { isStraitError } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import type { ResourceRegistry } from '../model/registry.js';
import { formatKey, keyOf, type Resource, type ResourceInput, type ResourceKey } from '../model/resource.js';
import type { ResourceStore, WriteOp } from '../store/store.js';
import { decodeKdsResource, versionOfInput } from './kds-envelope.js';
import type { KdsReceiveFlow } from './kds-flow.js';
import { kdsWireName, keyOfWireName } from './kds-names.js';
import { kdsContentVersion } from './kds-version.js';

/** Where validation reads what the store holds under a key of the response's type. */
export interface StoreLookup {
  /** The stored resource an incoming one would replace; undefined when the key is (taken to be) free. */
  forUpsert(key: ResourceKey): Promise<Resource | undefined>;
  /** The stored resource a removed name stands for; undefined when absent. Always exact. */
  forRemoval(key: ResourceKey): Promise<Resource | undefined>;
}

/** One `get` per key: exact, and cheap for a small response. */
export function exactLookup(store: ResourceStore): StoreLookup {
  return { forUpsert: (key) => store.get(key), forRemoval: (key) => store.get(key) };
}

/**
 * One listing of the copies `flow` says this peer gave us (`heldLabels`); a key not listed is
 * taken to be free (the store's create then checks it). Removals fall back to a `get`, so a
 * removed name is judged exactly as {@link exactLookup} would. Also returns how many copies are held.
 */
export async function heldLookup(
  store: ResourceStore,
  flow: KdsReceiveFlow,
  descriptor: ResourceDescriptor,
): Promise<{ readonly lookup: StoreLookup; readonly held: number }> {
  const { items } = await store.list({ type: descriptor.name, labels: flow.heldLabels });
  const listed = new Map(items.map((r) => [kdsWireName(r.meta.mesh, r.meta.name), r]));
  const held = items.reduce((n, r) => (flow.holds(r) ? n + 1 : n), 0);
  const find = (key: ResourceKey) => listed.get(kdsWireName(key.mesh, key.name));
  return {
    lookup: {
      forUpsert: async (key) => find(key),
      forRemoval: async (key) => find(key) ?? store.get(key),
    },
    held,
  };
}

/** A response checked and turned into writes. */
export interface ResponsePlan {
  /** The writes, in order: creates and updates of changed copies, then deletes. */
  readonly ops: readonly WriteOp[];
  /** Resources the response carried (changed or not). */
  readonly resources: number;
  /** Copies the response removed that were held, as they were (each one is logged once deleted). */
  readonly removals: readonly Resource[];
  /** How many of `ops` create a copy. */
  readonly creates: number;
}

/** What planning needs besides the response. */
export interface PlanContext {
  readonly registry: ResourceRegistry;
  readonly flow: KdsReceiveFlow;
  readonly lookup: StoreLookup;
}

/**
 * Checks a whole response and plans its writes; or returns every reason to refuse it (then
 * nothing may be written). Unchanged copies are skipped; a removed name that is not held is
 * ignored when absent and refused when it is someone else's.
 */
export async function planResponse(
  context: PlanContext,
  descriptor: ResourceDescriptor,
  response: DeltaDiscoveryResponse,
): Promise<ResponsePlan | { readonly reasons: readonly string[] }> {
  const { registry, flow, lookup } = context;
  const reasons: string[] = [];
  const ops: WriteOp[] = [];
  const removals: Resource[] = [];
  let creates = 0;
  const seen = new Set<string>();
  for (const message of response.resources) {
    let input: ResourceInput;
    try {
      input = decodeKdsResource(registry, descriptor, message);
    } catch (err) {
      reasons.push(isStraitError(err) ? err.message : String(err));
      continue;
    }
    const flowReasons = flow.check(input);
    if (flowReasons.length > 0) {
      reasons.push(`${message.name}: ${flowReasons.join(', ')}`);
      continue;
    }
    if (seen.has(message.name)) {
      reasons.push(`${message.name}: appears twice in one response`);
      continue;
    }
    seen.add(message.name);
    const stored = flow.toStored(input);
    const existing = await lookup.forUpsert(keyOf(stored));
    if (existing === undefined) {
      ops.push({ op: 'create', input: stored });
      creates += 1;
    } else if (!flow.holds(existing)) {
      reasons.push(`${message.name}: would replace a ${descriptor.name} that did not come from this peer`);
    } else if (!sameContent(existing, stored)) {
      ops.push({ op: 'update', input: stored, options: { expectedVersion: existing.meta.version } });
    }
  }
  const removed = new Set<string>();
  for (const name of response.removedResources) {
    const key = keyOfWireName(descriptor, name);
    if (key === undefined || seen.has(name)) {
      reasons.push(`${name}: not a removable ${descriptor.name} name`);
      continue;
    }
    if (removed.has(name)) continue; // named twice: deleted once
    removed.add(name);
    let existing: Resource | undefined;
    try {
      existing = await lookup.forRemoval(key);
    } catch (err) {
      reasons.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    if (existing === undefined) continue;
    if (!flow.holds(existing)) {
      reasons.push(`${name}: would delete a ${descriptor.name} that did not come from this peer`);
      continue;
    }
    ops.push({ op: 'delete', key: keyOf(existing), options: { expectedVersion: existing.meta.version } });
    removals.push(existing);
  }
  if (reasons.length > 0) return { reasons };
  return { ops, resources: response.resources.length, removals, creates };
}

/**
 * True when a batch failed because the store was not what planning read: a key taken that
 * was taken to be free, a version that moved, a copy gone. Planning again with exact reads
 * settles it (or finds a reason to refuse the response).
 */
export function isStalePlan(err: unknown): boolean {
  return isStraitError(err, 'AlreadyExists') || isStraitError(err, 'Conflict') || isStraitError(err, 'NotFound');
}

/** True when storing `input` over `existing` would change nothing (content and owner). */
function sameContent(existing: Resource, input: ResourceInput): boolean {
  const ownerSame =
    input.owner === undefined ||
    (existing.meta.owner !== undefined && formatKey(existing.meta.owner) === formatKey(input.owner));
  return (
    ownerSame &&
    kdsContentVersion({ labels: existing.meta.labels, spec: existing.spec, status: existing.status }) ===
      versionOfInput(input)
  );
}
