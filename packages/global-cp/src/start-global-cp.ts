import { registerZoneTokenRoutes, startCpCore } from '@strait/api';
import {
  type CpConfig,
  createMeshCaManager,
  createTokenIssuer,
  type Logger,
  type TokenIssuer,
  type ZoneTokenClaims,
} from '@strait/shared';
import { createMeshCaProvisioner } from './mesh-ca/mesh-ca-provisioner.js';

/** Mesh CAs live ten years (Kuma's default). */
const MESH_CA_VALID_FOR_MS = 10 * 365 * 24 * 3600 * 1000;

/** Options of {@link startGlobalCp}. */
export interface StartGlobalCpOptions {
  readonly config: CpConfig;
  readonly logger: Logger;
}

/** A running global control plane. */
export interface RunningGlobalCp {
  readonly ports: { readonly api: number; readonly diagnostics: number };
  readonly adminTokenFile: string;
  stop(): Promise<void>;
}

/**
 * Starts the global CP: the store of meshes and policies, the REST API (with `POST /tokens/zone`),
 * diagnostics, and the mesh CAs (one trust root per mesh for every zone). KDS arrives with its component.
 */
export async function startGlobalCp(options: StartGlobalCpOptions): Promise<RunningGlobalCp> {
  const logger = options.logger.child({ role: 'global-cp' });
  let zoneTokens: TokenIssuer<ZoneTokenClaims> | undefined;
  const core = await startCpCore({
    role: 'global',
    config: options.config,
    logger,
    federated: false,
    routes: (app, { store }) => {
      zoneTokens = createTokenIssuer<ZoneTokenClaims>({
        store,
        kind: 'zone',
        logger: logger.child({ component: 'zone-tokens' }),
      });
      registerZoneTokenRoutes(app, zoneTokens);
    },
  });
  const caManager = createMeshCaManager({ store: core.store, logger, caValidForMs: MESH_CA_VALID_FOR_MS });
  const provisioner = createMeshCaProvisioner({ store: core.store, caManager, logger });
  await provisioner.start(new AbortController().signal);
  core.markReady({});
  return {
    ports: core.ports,
    adminTokenFile: core.adminTokenFile,
    stop: async () => {
      await provisioner.stop();
      caManager.close();
      zoneTokens?.close();
      await core.stop();
    },
  };
}
