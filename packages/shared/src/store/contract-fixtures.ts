/**
 * The resources and helpers the store contract suite (`contract-suite.ts`, `batch-contract.ts`)
 * writes with: `Mesh` (the one type the store knows) and made-up types, never descriptors.
 */
import assert from 'node:assert/strict';
import { type ErrorCode, isStraitError } from '../errors/strait-error.js';
import type { Resource, ResourceInput, ResourceKey } from '../model/resource.js';
import type { ChangeEvent, ResourceStore } from './store.js';

/** A made-up mesh-scoped type. */
export const MESH_SCOPED = 'TrafficThing';
/** A second made-up mesh-scoped type. */
export const OTHER_MESH_SCOPED = 'OtherThing';
/** A made-up global-scoped type. */
export const GLOBAL_SCOPED = 'ZoneThing';
/** What a stored timestamp looks like. */
export const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A Mesh input. */
export function mesh(name: string, extra: Partial<ResourceInput> = {}): ResourceInput {
  return { type: 'Mesh', name, spec: { mtls: { enabled: false } }, ...extra };
}

/** A {@link MESH_SCOPED} input in mesh `meshName`. */
export function thing(meshName: string, name: string, extra: Partial<ResourceInput> = {}): ResourceInput {
  return { type: MESH_SCOPED, mesh: meshName, name, spec: { port: 8080, tags: ['a', 'b'] }, ...extra };
}

/** A {@link GLOBAL_SCOPED} input. */
export function zoneThing(name: string, extra: Partial<ResourceInput> = {}): ResourceInput {
  return { type: GLOBAL_SCOPED, name, spec: { address: `${name}.example` }, ...extra };
}

/** The key of a {@link thing}. */
export function keyOfThing(meshName: string, name: string): ResourceKey {
  return { type: MESH_SCOPED, mesh: meshName, name };
}

/** `Type/mesh/name` of a resource or key, for comparing lists of keys. */
export function printable(r: Resource | ResourceKey): string {
  const key = 'meta' in r ? { type: r.type, mesh: r.meta.mesh, name: r.meta.name } : r;
  return `${key.type}/${key.mesh ?? ''}/${key.name}`;
}

/** Asserts that `promise` rejects with a StraitError of `code`. */
export async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isStraitError(err), `expected a StraitError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return true;
  });
}

/** Runs `mutate`, ignoring the TypeError a frozen object throws in strict code. */
export function tryMutate(mutate: () => void): void {
  try {
    mutate();
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
  }
}

/** Collects every event of `store` from now on. */
export function record(store: ResourceStore): { events: ChangeEvent[]; stop: () => void } {
  const events: ChangeEvent[] = [];
  const stop = store.subscribe((e) => events.push(e));
  return { events, stop };
}
