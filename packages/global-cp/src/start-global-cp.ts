import { registerZoneTokenRoutes, startCpCore } from '@strait/api';
import { type CpConfig, createTokenIssuer, type Logger, type TokenIssuer, type ZoneTokenClaims } from '@strait/shared';

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
 * Starts the global CP: the store of meshes and policies, the REST API (with `POST /tokens/zone`)
 * and diagnostics. KDS arrives with its component.
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
  core.markReady({});
  return {
    ports: core.ports,
    adminTokenFile: core.adminTokenFile,
    stop: async () => {
      zoneTokens?.close();
      await core.stop();
    },
  };
}
