import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import {
  builtinRegistry,
  type CpConfig,
  type CpRole,
  createDiagnosticsServer,
  createStore,
  createTokenIssuer,
  ensureAdminTokenFile,
  ensureDefaultMesh,
  type Logger,
  type ProxyTokenClaims,
  type ResourceRegistry,
  type ResourceStore,
  type TokenIssuer,
  watchMeshDefaults,
} from '@strait/shared';
import type { FastifyInstance } from 'fastify';
import { registerProxyTokenRoutes } from '../routes/token-routes.js';
import { createApiServer } from '../server/api-server.js';

/** Strait's version, shown by `/` and `strait version`. */
export const STRAIT_VERSION = '0.1.0';

/** What a role adds to the common control-plane core. */
export interface CpCoreOptions {
  readonly role: CpRole;
  readonly config: CpConfig;
  readonly logger: Logger;
  /** A zone connected to a global: global-owned types are read-only here. */
  readonly federated: boolean;
  /** Extra REST routes of the role (given the store the core opened). */
  readonly routes?: (app: FastifyInstance, services: { store: ResourceStore; registry: ResourceRegistry }) => void;
}

/** A running control-plane core: store, API and diagnostics servers. */
export interface CpCore {
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  readonly instanceId: string;
  readonly ports: { readonly api: number; readonly diagnostics: number };
  readonly adminTokenFile: string;
  /** Issues and verifies dataplane and zone-ingress tokens (`POST /tokens/dataplane`). */
  readonly proxyTokens: TokenIssuer<ProxyTokenClaims>;
  /** Marks the process ready (`/ready` 200) and logs the `ready` line with every bound port. */
  markReady(extraPorts: Record<string, number>): void;
  stop(): Promise<void>;
}

/**
 * Starts what both control planes run: the store (with mesh `default` on a fresh global or
 * standalone store), the user-token issuer and admin token file, the REST API and the
 * diagnostics server. Roles start their own servers after this and then call `markReady`.
 */
export async function startCpCore(options: CpCoreOptions): Promise<CpCore> {
  const { config, logger, role } = options;
  mkdirSync(config.dataDir, { recursive: true });
  const store = createStore(
    config.store.type === 'memory' ? { type: 'memory' } : { type: 'sqlite', path: config.store.path ?? '' },
  );
  const stops: Array<() => Promise<void>> = [() => store.close()];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch (err) {
        logger.error({ err }, 'error while stopping');
      }
    }
  };
  try {
    if (!options.federated) {
      // A federated zone gets its meshes and their policies from the global.
      const unwatch = watchMeshDefaults(store, logger);
      stops.push(async () => unwatch());
      if (config.defaults.createDefaultMesh) await ensureDefaultMesh(store, logger);
    }
    const userTokens = createTokenIssuer({ store, kind: 'user', logger: logger.child({ component: 'user-tokens' }) });
    const proxyTokens = createTokenIssuer<ProxyTokenClaims>({
      store,
      kind: 'dataplane',
      logger: logger.child({ component: 'dataplane-tokens' }),
    });
    const adminTokenFile = await ensureAdminTokenFile(config.dataDir, (c, o) => userTokens.issue(c, o), logger);

    const diagnostics = createDiagnosticsServer({ host: config.diagnostics.host, port: config.diagnostics.port });
    const diagnosticsPort = await diagnostics.listen();
    stops.push(() => diagnostics.close());

    const instanceId = `${hostname()}-${randomUUID().slice(0, 8)}`;
    const api = createApiServer({
      store,
      registry: builtinRegistry,
      logger: logger.child({ component: 'api-server' }),
      mode: role,
      federated: options.federated,
      auth: { tokens: userTokens, localhostIsAdmin: config.api.localhostIsAdmin },
      instanceId,
      clusterId: instanceId,
      version: STRAIT_VERSION,
      hostname: hostname(),
      maxBodyBytes: config.api.maxBodyBytes,
      routes: (app) => {
        registerProxyTokenRoutes(app, proxyTokens);
        options.routes?.(app, { store, registry: builtinRegistry });
      },
    });
    const { port: apiPort } = await api.listen({ host: config.api.host, port: config.api.port });
    stops.push(() => api.close());

    return {
      store,
      registry: builtinRegistry,
      instanceId,
      ports: { api: apiPort, diagnostics: diagnosticsPort },
      adminTokenFile,
      proxyTokens,
      markReady(extraPorts) {
        diagnostics.setReady(true);
        logger.info(
          { ports: { api: apiPort, diagnostics: diagnosticsPort, ...extraPorts }, dataDir: config.dataDir },
          'ready',
        );
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
