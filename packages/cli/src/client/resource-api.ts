import { isStraitError, type ResourceDescriptor, StraitError, type UniversalObject } from '@strait/shared';
import type { ApiClient, QueryParams } from './api-client.js';
import { collectionPath, MESHES_PATH, type ResourceLocation, resourcePath } from './resource-paths.js';

/** What a PUT did. */
export type ApplyOutcome = 'created' | 'configured';

/** Which resources of a type to list. */
export interface ListSelector {
  /** The mesh of a mesh-scoped type. */
  readonly mesh?: string;
  /** Every label must match exactly (ANDed). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Resource CRUD over the REST API, addressed by descriptor. */
export interface ResourceApi {
  /** One resource in universal form; `NotFound` (with a message naming it) when absent. */
  get(d: ResourceDescriptor, at: ResourceLocation): Promise<UniversalObject>;
  /** Every resource matching the selector, all pages followed. */
  list(d: ResourceDescriptor, selector?: ListSelector): Promise<UniversalObject[]>;
  /** Creates or replaces; tells which from the status (201 or 200). */
  put(d: ResourceDescriptor, at: ResourceLocation, body: unknown): Promise<ApplyOutcome>;
  delete(d: ResourceDescriptor, at: ResourceLocation): Promise<void>;
  /** Names of every mesh, in the order the API lists them. */
  meshNames(): Promise<string[]>;
}

/** Builds the {@link ResourceApi} over a client. */
export function createResourceApi(client: ApiClient): ResourceApi {
  return Object.freeze({
    async get(d: ResourceDescriptor, at: ResourceLocation): Promise<UniversalObject> {
      const body = await withNotFoundMessage(d, at, () => client.get(resourcePath(d, at)));
      return asObject(body, d);
    },
    async list(d: ResourceDescriptor, selector: ListSelector = {}): Promise<UniversalObject[]> {
      const labels = Object.entries(selector.labels ?? {});
      // Kuma's implemented form is `filter[labels.KEY]` (its OpenAPI example says `label.`).
      const query: QueryParams = labels.map(([k, v]) => [`filter[labels.${k}]`, v] as const);
      const items = await client.listAll(collectionPath(d, selector.mesh), query);
      // Filter here too: an older server that ignores `filter` must not widen the result.
      return items.map((item) => asObject(item, d)).filter((item) => hasLabels(item, labels));
    },
    async put(d: ResourceDescriptor, at: ResourceLocation, body: unknown): Promise<ApplyOutcome> {
      const res = await client.put(resourcePath(d, at), body);
      return res.status === 201 ? 'created' : 'configured';
    },
    delete: (d: ResourceDescriptor, at: ResourceLocation) =>
      withNotFoundMessage(d, at, () => client.delete(resourcePath(d, at))),
    async meshNames(): Promise<string[]> {
      const meshes = await client.listAll(MESHES_PATH);
      return meshes.map((m) => (m as { name?: unknown }).name).filter((n): n is string => typeof n === 'string');
    },
  });
}

async function withNotFoundMessage<T>(d: ResourceDescriptor, at: ResourceLocation, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!isStraitError(err, 'NotFound')) throw err;
    const where = d.scope === 'mesh' && at.mesh !== undefined ? ` in mesh "${at.mesh}"` : '';
    throw new StraitError('NotFound', `there is no ${d.name} "${at.name}"${where}`, { cause: err });
  }
}

function asObject(value: unknown, d: ResourceDescriptor): UniversalObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StraitError('Internal', `the control plane answered with a ${d.name} that is not an object`);
  }
  return value as UniversalObject;
}

function hasLabels(item: UniversalObject, wanted: readonly (readonly [string, string])[]): boolean {
  const labels = (item.labels ?? {}) as Record<string, unknown>;
  return wanted.every(([k, v]) => labels[k] === v);
}
