import {
  formatKey,
  isStraitError,
  keyOf,
  type Resource,
  type ResourceInput,
  type ResourceKey,
  type ResourceStore,
  StraitError,
} from '@strait/shared';
import type { IfMatch } from '../http/etag.js';

/** How often a PUT retries after losing a create/delete race with another writer. */
const MAX_UPSERT_ATTEMPTS = 3;

/** The version a write must find, from `If-Match` and the stored resource; Conflict when none matches. */
function expectedVersion(ifMatch: IfMatch | undefined, current: Resource): number | undefined {
  if (ifMatch === undefined || ifMatch.any) return undefined;
  if (!ifMatch.versions.has(current.meta.version)) {
    throw new StraitError('Conflict', `${formatKey(keyOf(current))} has changed (If-Match does not match its ETag)`);
  }
  return current.meta.version;
}

/**
 * PUT semantics: creates the resource or replaces it. With `If-Match` the write only happens
 * against the given version (the store checks it atomically, so of two writers holding the
 * same ETag exactly one wins). Status the control plane wrote is kept when the body has none.
 */
export async function upsert(
  store: ResourceStore,
  input: ResourceInput,
  ifMatch: IfMatch | undefined,
): Promise<{ readonly resource: Resource; readonly created: boolean }> {
  const key = keyOf(input);
  for (let attempt = 1; attempt <= MAX_UPSERT_ATTEMPTS; attempt++) {
    const current = await store.get(key);
    if (current === undefined) {
      if (ifMatch !== undefined) {
        throw new StraitError('Conflict', `${formatKey(key)} does not exist (If-Match needs an existing resource)`);
      }
      try {
        return { resource: await store.create(input), created: true };
      } catch (err) {
        if (isStraitError(err, 'AlreadyExists')) continue; // created meanwhile: replace it instead
        throw err;
      }
    }
    const version = expectedVersion(ifMatch, current);
    const next =
      input.status === undefined && current.status !== undefined ? { ...input, status: current.status } : input;
    try {
      const resource = await store.update(next, version === undefined ? {} : { expectedVersion: version });
      return { resource, created: false };
    } catch (err) {
      if (isStraitError(err, 'NotFound') && ifMatch === undefined) continue; // deleted meanwhile: create it
      throw err;
    }
  }
  throw new StraitError('Conflict', `${formatKey(key)} is being changed concurrently; retry`);
}

/** DELETE semantics, honouring `If-Match` like {@link upsert}. */
export async function remove(store: ResourceStore, key: ResourceKey, ifMatch: IfMatch | undefined): Promise<void> {
  if (ifMatch === undefined || ifMatch.any) return store.delete(key);
  if (ifMatch.versions.size === 1) {
    const [version] = ifMatch.versions;
    return store.delete(key, { expectedVersion: version as number });
  }
  const current = await store.get(key);
  if (current === undefined) throw new StraitError('NotFound', `${formatKey(key)} not found`);
  return store.delete(key, { expectedVersion: expectedVersion(ifMatch, current) as number });
}
