/**
 * The REST API both control planes serve: Kuma 2.x universal-mode paths, bodies and status
 * codes, driven by the resource descriptors, plus a Connect RPC mount point.
 */
import { randomUUID } from 'node:crypto';
import type { ResourceDescriptor } from '@strait/shared';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { createAuthHook } from '../auth/authenticate.js';
import { handleError, handleNotFound } from '../errors/http-errors.js';
import { buildOpenApi } from '../openapi/build-openapi.js';
import { overviewPairs } from '../overview/overview-pairs.js';
import { registerGlobalInsightRoute } from '../routes/global-insight-route.js';
import { registerIndexRoute } from '../routes/index-route.js';
import { registerOpenApiRoutes } from '../routes/openapi-routes.js';
import { registerOverviewRoutes } from '../routes/overview-routes.js';
import { registerResourceRoutes } from '../routes/resource-routes.js';
import { registerResourceTypesRoute } from '../routes/resource-types-route.js';
import { writeRefusal } from '../routes/write-policy.js';
import { mountConnectRpc } from '../rpc/connect-mount.js';
import { type ApiServerOptions, resolveApiServerOptions } from './api-server-options.js';
import { registerContentParsers } from './content-parsers.js';

/** Types only admins may read by default: they hold credentials (and token signing keys). */
const DEFAULT_ADMIN_ONLY_TYPES = ['Secret', 'GlobalSecret'];

/** A created, not yet listening, API server. */
export interface ApiServer {
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(options: { readonly port: number; readonly host?: string }): Promise<{ readonly port: number }>;
  close(): Promise<void>;
  /** The fastify instance (tests use `app.inject`). */
  readonly app: FastifyInstance;
}

/** Creates the API server. Options are validated and frozen; every route table is built here, once. */
export function createApiServer(options: ApiServerOptions): ApiServer {
  const o = resolveApiServerOptions(options);
  const app = Fastify({
    loggerInstance: o.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: o.maxBodyBytes,
    genReqId: () => randomUUID(),
    trustProxy: false,
    // `/meshes/` and `/meshes` are the same collection to Kuma's clients.
    routerOptions: { ignoreTrailingSlash: true },
  }) as unknown as FastifyInstance;

  const isReadOnly = (d: ResourceDescriptor): boolean => writeRefusal(d, o.mode, o.federated) !== undefined;
  const adminOnlyTypes = new Set(o.auth.adminOnlyTypes ?? DEFAULT_ADMIN_ONLY_TYPES);
  const pairs = overviewPairs(o.registry);

  registerContentParsers(app);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  app.addHook('onRequest', createAuthHook(o.auth));

  registerIndexRoute(app, {
    hostname: o.hostname,
    version: o.version,
    instanceId: o.instanceId,
    clusterId: o.clusterId,
    gui: o.guiPath,
  });
  registerResourceTypesRoute(app, o.registry, isReadOnly);
  registerResourceRoutes(app, {
    store: o.store,
    registry: o.registry,
    mode: o.mode,
    federated: o.federated,
    adminOnlyTypes,
  });
  registerOverviewRoutes(app, o.store, pairs, adminOnlyTypes);
  registerGlobalInsightRoute(app, { store: o.store, registry: o.registry, pairs, now: () => new Date() });
  registerOpenApiRoutes(app, buildOpenApi({ registry: o.registry, pairs, version: o.version, isReadOnly }));
  mountConnectRpc(app, o.rpcRoutes);
  o.routes?.(app);

  return Object.freeze({
    app,
    async listen({
      port,
      host,
    }: {
      readonly port: number;
      readonly host?: string;
    }): Promise<{ readonly port: number }> {
      await app.listen({ port, host: host ?? '127.0.0.1' });
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('API server is not bound to a TCP port');
      o.logger.info({ port: address.port, host: host ?? '127.0.0.1' }, 'API server listening');
      return { port: address.port };
    },
    close: () => app.close(),
  });
}
