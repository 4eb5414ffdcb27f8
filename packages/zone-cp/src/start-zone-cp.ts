import { startCpCore } from '@strait/api';
import type { CpConfig, Logger } from '@strait/shared';

/** Options of {@link startZoneCp}. */
export interface StartZoneCpOptions {
  readonly config: CpConfig;
  readonly logger: Logger;
}

/** A running zone control plane. */
export interface RunningZoneCp {
  readonly ports: { readonly api: number; readonly diagnostics: number };
  readonly adminTokenFile: string;
  stop(): Promise<void>;
}

/**
 * Starts a zone CP. Standalone for now (no global): it owns its meshes and policies and
 * serves the REST API; xDS and KDS arrive with their own components.
 */
export async function startZoneCp(options: StartZoneCpOptions): Promise<RunningZoneCp> {
  const logger = options.logger.child({ role: 'zone-cp', zone: options.config.zone.name });
  const federated = options.config.global.address !== undefined;
  if (federated)
    logger.warn({ global: options.config.global.address }, 'KDS is not implemented yet: running standalone');
  const core = await startCpCore({ role: 'zone', config: options.config, logger, federated: false });
  core.markReady({});
  return { ports: core.ports, adminTokenFile: core.adminTokenFile, stop: () => core.stop() };
}
