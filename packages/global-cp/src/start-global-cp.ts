import { startCpCore } from '@strait/api';
import type { CpConfig, Logger } from '@strait/shared';

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

/** Starts the global CP: the store of meshes and policies and the REST API (KDS arrives with its component). */
export async function startGlobalCp(options: StartGlobalCpOptions): Promise<RunningGlobalCp> {
  const logger = options.logger.child({ role: 'global-cp' });
  const core = await startCpCore({ role: 'global', config: options.config, logger, federated: false });
  core.markReady({});
  return { ports: core.ports, adminTokenFile: core.adminTokenFile, stop: () => core.stop() };
}
