/**
 * Handlers of the generic resource endpoints. Each factory is called once per type at
 * start-up; the returned handler does only per-request work.
 */
import {
  formatKey,
  invalid,
  type ParseExpectations,
  parseUniversal,
  type ResourceDescriptor,
  type ResourceKey,
  type ResourceRegistry,
  type ResourceStore,
  StraitError,
  toUniversal,
  type UniversalObject,
} from '@strait/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { etagOf, noneMatchHits, parseIfMatch } from '../http/etag.js';
import { parseListFilters } from '../http/list-filters.js';
import { nextPageUrl, parsePageRequest } from '../http/pagination.js';
import type { QueryValues } from '../http/query-values.js';
import type { DeleteCheck } from './delete-guards.js';
import { remove, upsert } from './store-writes.js';

/** The type every mesh-scoped resource lives in. */
export const MESH_TYPE = 'Mesh';

/** Path parameters of resource routes. */
export interface ResourceParams {
  readonly mesh?: string;
  readonly name?: string;
}

type Request = FastifyRequest<{ Params: ResourceParams; Querystring: QueryValues }>;
type Handler = (request: Request, reply: FastifyReply) => Promise<unknown>;

/** A list response, Kuma's shape. */
export interface ListBody<T = UniversalObject> {
  readonly total: number;
  readonly items: readonly T[];
  readonly next: string | null;
}

/** What the handlers of one type share. */
export interface ResourceHandlerContext {
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  readonly descriptor: ResourceDescriptor;
}

/** The key a request path names. */
export function keyFromParams(d: ResourceDescriptor, params: ResourceParams): ResourceKey {
  const name = params.name ?? '';
  return d.scope === 'mesh' ? { type: d.name, mesh: params.mesh ?? '', name } : { type: d.name, name };
}

/** 404 unless mesh `name` exists (lists inside an unknown mesh). */
export async function requireMesh(store: ResourceStore, name: string): Promise<void> {
  if ((await store.get({ type: MESH_TYPE, name })) === undefined) {
    throw new StraitError('NotFound', `mesh "${name}" not found`);
  }
}

/** GET one resource: its universal form, with its version as ETag. */
export function getHandler({ store, descriptor: d }: ResourceHandlerContext): Handler {
  return async (request, reply) => {
    const key = keyFromParams(d, request.params);
    const r = await store.get(key);
    if (r === undefined) throw new StraitError('NotFound', `${formatKey(key)} not found`);
    reply.header('etag', etagOf(r.meta.version));
    if (noneMatchHits(request.headers['if-none-match'], r.meta.version)) return reply.code(304).send();
    return toUniversal(d, r);
  };
}

/** GET a page of resources; `acrossMeshes` lists a mesh-scoped type over every mesh. */
export function listHandler({ store, descriptor: d }: ResourceHandlerContext, acrossMeshes: boolean): Handler {
  return async (request) => {
    const page = parsePageRequest(request.query);
    const filters = parseListFilters(request.query);
    const mesh = d.scope === 'mesh' && !acrossMeshes ? request.params.mesh : undefined;
    if (mesh !== undefined) await requireMesh(store, mesh);
    const result = await store.list({
      type: d.name,
      ...(mesh === undefined ? {} : { mesh }),
      ...filters,
      size: page.size,
      offset: page.offset,
    });
    const body: ListBody = {
      total: result.total,
      items: result.items.map((r) => toUniversal(d, r)),
      next: nextPageUrl(request, result.nextOffset),
    };
    return body;
  };
}

/** PUT: create (201) or replace (200) from a JSON or YAML body. */
export function putHandler({ store, registry, descriptor: d }: ResourceHandlerContext): Handler {
  return async (request, reply) => {
    const key = keyFromParams(d, request.params);
    const expect: ParseExpectations =
      key.mesh === undefined ? { type: d.name, name: key.name } : { type: d.name, mesh: key.mesh, name: key.name };
    const input = parseUniversal(registry, request.body, expect);
    const ifMatch = parseIfMatch(request.headers['if-match']);
    if (input.mesh !== undefined && (await store.get({ type: MESH_TYPE, name: input.mesh })) === undefined) {
      // Kuma: 400 "Mesh is not found", naming the field.
      throw invalid([{ field: 'mesh', reason: `mesh of name ${input.mesh} is not found` }], d.name);
    }
    const { resource, created } = await upsert(store, input, ifMatch);
    reply.code(created ? 201 : 200).header('etag', etagOf(resource.meta.version));
    return {};
  };
}

/** DELETE: 200 `{}`; the store cascades to owned resources. */
export function deleteHandler(
  { store, descriptor: d }: ResourceHandlerContext,
  deleteCheck: DeleteCheck | undefined,
): Handler {
  return async (request) => {
    const key = keyFromParams(d, request.params);
    const ifMatch = parseIfMatch(request.headers['if-match']);
    if (deleteCheck !== undefined) {
      if ((await store.get(key)) === undefined) throw new StraitError('NotFound', `${formatKey(key)} not found`);
      await deleteCheck(store, key);
    }
    await remove(store, key, ifMatch);
    return {};
  };
}

/** PUT/DELETE on a type this control plane does not let users write. */
export function refusedWriteHandler(message: string): Handler {
  return async () => {
    throw new StraitError('MethodNotAllowed', message);
  };
}
