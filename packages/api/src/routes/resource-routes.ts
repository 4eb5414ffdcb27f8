/**
 * The generic resource endpoints, one set per descriptor (no per-type code):
 * - mesh-scoped: `/meshes/{mesh}/{plural}`, `/meshes/{mesh}/{plural}/{name}`, and `/{plural}`
 *   listing across meshes;
 * - global-scoped: `/{plural}`, `/{plural}/{name}` (Mesh itself is `/meshes`, `/meshes/{name}`).
 */
import type { ResourceRegistry, ResourceStore } from '@strait/shared';
import type { FastifyInstance } from 'fastify';
import type { ApiMode } from '../server/api-server-options.js';
import { deleteCheckFor } from './delete-guards.js';
import {
  deleteHandler,
  getHandler,
  listHandler,
  putHandler,
  type ResourceHandlerContext,
  refusedWriteHandler,
} from './resource-handlers.js';
import type { StraitRouteConfig } from './route-config.js';
import { writeRefusal } from './write-policy.js';

/** What resource routes are built from. */
export interface ResourceRoutesOptions {
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  readonly mode: ApiMode;
  readonly federated: boolean;
  /** Types only admins may read. */
  readonly adminOnlyTypes: ReadonlySet<string>;
}

/** The path of a type's collection (`/meshes/:mesh/meshtimeouts`, `/zones`). */
export function collectionPath(scope: 'global' | 'mesh', plural: string): string {
  return scope === 'mesh' ? `/meshes/:mesh/${plural}` : `/${plural}`;
}

/** Registers the CRUD routes of every type in the registry. */
export function registerResourceRoutes(app: FastifyInstance, options: ResourceRoutesOptions): void {
  const { store, registry } = options;
  for (const descriptor of registry.all()) {
    const ctx: ResourceHandlerContext = { store, registry, descriptor };
    const adminOnly = options.adminOnlyTypes.has(descriptor.name);
    const config = (errorTitle: string): { config: { strait: StraitRouteConfig } } => ({
      config: { strait: { errorTitle, adminOnly } },
    });
    const base = collectionPath(descriptor.scope, descriptor.plural);
    const item = `${base}/:name`;
    const refusal = writeRefusal(descriptor, options.mode, options.federated);

    app.get(base, config('Could not retrieve resources'), listHandler(ctx, false));
    app.get(item, config('Could not retrieve a resource'), getHandler(ctx));
    app.put(
      item,
      config('Could not process a resource'),
      refusal === undefined ? putHandler(ctx) : refusedWriteHandler(refusal),
    );
    app.delete(
      item,
      config('Could not delete a resource'),
      refusal === undefined
        ? deleteHandler(ctx, deleteCheckFor(registry, descriptor.name))
        : refusedWriteHandler(refusal),
    );
    if (descriptor.scope === 'mesh') {
      app.get(`/${descriptor.plural}`, config('Could not retrieve resources'), listHandler(ctx, true));
    }
  }
}
