import { hostname as osHostname } from 'node:os';
import type { ConnectRouter } from '@connectrpc/connect';
import { invalid, type Logger, type ResourceRegistry, type ResourceStore, type Violation } from '@strait/shared';
import type { FastifyInstance } from 'fastify';
import type { ApiAuthOptions } from '../auth/authenticate.js';

/** Which control plane serves the API. */
export type ApiMode = 'global' | 'zone';

/** Options of {@link createApiServer}. */
export interface ApiServerOptions {
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  readonly logger: Logger;
  readonly mode: ApiMode;
  /**
   * A zone connected to a global; default false. Types marked `readOnlyOnFederatedZone`
   * then refuse writes (405) because the global owns them.
   */
  readonly federated?: boolean;
  /** Authentication; default: no token verification, localhost callers are admins. */
  readonly auth?: ApiAuthOptions;
  /** Shown by `/`: this process. */
  readonly instanceId: string;
  /** Shown by `/`: the cluster (all replicas of one CP share it). */
  readonly clusterId: string;
  /** Strait's version, shown by `/`. */
  readonly version: string;
  /** Shown by `/`; default the OS host name. */
  readonly hostname?: string;
  /** Path of the GUI, shown by `/`; default `/gui`. */
  readonly guiPath?: string;
  /** Largest accepted request body in bytes; default 4 MiB. */
  readonly maxBodyBytes?: number;
  /** Extra REST routes of the control plane (they go through the same auth and error handling). */
  readonly routes?: (app: FastifyInstance) => void;
  /** Connect RPC services served on the same port (paths `/<package>.<Service>/<Method>`). */
  readonly rpcRoutes?: (router: ConnectRouter) => void;
}

/** The options with every default filled in, frozen. */
export interface ResolvedApiServerOptions {
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  readonly logger: Logger;
  readonly mode: ApiMode;
  readonly federated: boolean;
  readonly auth: ApiAuthOptions;
  readonly instanceId: string;
  readonly clusterId: string;
  readonly version: string;
  readonly hostname: string;
  readonly guiPath: string;
  readonly maxBodyBytes: number;
  readonly routes: ((app: FastifyInstance) => void) | undefined;
  readonly rpcRoutes: ((router: ConnectRouter) => void) | undefined;
}

const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

const hasMethods = (value: unknown, methods: readonly string[]): boolean =>
  typeof value === 'object' &&
  value !== null &&
  methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');

/** Validates `options`, fills defaults and freezes the result; throws `Invalid` naming each bad option. */
export function resolveApiServerOptions(options: ApiServerOptions): ResolvedApiServerOptions {
  const v: Violation[] = [];
  const o = { ...options };
  if (!hasMethods(o.store, ['get', 'list', 'create', 'update', 'delete', 'subscribe'])) {
    v.push({ field: 'store', reason: 'must be a ResourceStore' });
  }
  if (!hasMethods(o.registry, ['all', 'byName', 'byPlural']))
    v.push({ field: 'registry', reason: 'must be a ResourceRegistry' });
  if (!hasMethods(o.logger, ['info', 'error', 'child'])) v.push({ field: 'logger', reason: 'must be a Logger' });
  if (o.mode !== 'global' && o.mode !== 'zone') v.push({ field: 'mode', reason: 'must be "global" or "zone"' });
  if (o.federated !== undefined && typeof o.federated !== 'boolean')
    v.push({ field: 'federated', reason: 'must be a boolean' });
  if (o.federated === true && o.mode === 'global')
    v.push({ field: 'federated', reason: 'only a zone can be federated' });
  for (const field of ['instanceId', 'clusterId', 'version'] as const) {
    if (typeof o[field] !== 'string' || o[field] === '') v.push({ field, reason: 'must be a non-empty string' });
  }
  if (o.hostname !== undefined && (typeof o.hostname !== 'string' || o.hostname === '')) {
    v.push({ field: 'hostname', reason: 'must be a non-empty string' });
  }
  if (o.guiPath !== undefined && (typeof o.guiPath !== 'string' || !o.guiPath.startsWith('/'))) {
    v.push({ field: 'guiPath', reason: 'must be a path starting with "/"' });
  }
  if (o.maxBodyBytes !== undefined && (!Number.isSafeInteger(o.maxBodyBytes) || o.maxBodyBytes < 1024)) {
    v.push({ field: 'maxBodyBytes', reason: 'must be an integer of at least 1024' });
  }
  const auth = o.auth ?? {};
  if (auth.tokens !== undefined && !hasMethods(auth.tokens, ['verify'])) {
    v.push({ field: 'auth.tokens', reason: 'must have a verify(token) method' });
  }
  if (auth.localhostIsAdmin !== undefined && typeof auth.localhostIsAdmin !== 'boolean') {
    v.push({ field: 'auth.localhostIsAdmin', reason: 'must be a boolean' });
  }
  if (auth.adminOnlyTypes !== undefined && !Array.isArray(auth.adminOnlyTypes)) {
    v.push({ field: 'auth.adminOnlyTypes', reason: 'must be a list of type names' });
  }
  for (const field of ['routes', 'rpcRoutes'] as const) {
    if (o[field] !== undefined && typeof o[field] !== 'function') v.push({ field, reason: 'must be a function' });
  }
  if (v.length > 0) throw invalid(v, 'API server options');

  return Object.freeze({
    store: o.store,
    registry: o.registry,
    logger: o.logger,
    mode: o.mode,
    federated: o.federated ?? false,
    auth: Object.freeze({
      ...auth,
      ...(auth.adminOnlyTypes === undefined ? {} : { adminOnlyTypes: Object.freeze([...auth.adminOnlyTypes]) }),
    }),
    instanceId: o.instanceId,
    clusterId: o.clusterId,
    version: o.version,
    hostname: o.hostname ?? osHostname(),
    guiPath: o.guiPath ?? '/gui',
    maxBodyBytes: o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    routes: o.routes,
    rpcRoutes: o.rpcRoutes,
  });
}
