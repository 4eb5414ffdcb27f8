/** `strait dp run`: a sidecar's whole life, from registration to a graceful exit on SIGTERM/SIGINT. */
import { createLogger, runProxyUntilSignal } from '@strait/shared';
import type { DataplaneOptions } from './dataplane-options.js';
import { startDataplane } from './start-dataplane.js';

/**
 * Runs a dataplane until SIGTERM/SIGINT: registers with the zone CP, runs Envoy and logs `ready`;
 * on the signal drains Envoy, stops it, deregisters and resolves (exit 0). Rejects (exit 1) when
 * the CP refuses the proxy (logged as `bootstrap refused`, Envoy never started), when start-up
 * fails otherwise, or when Envoy keeps crashing.
 */
export async function runDataplane(options: DataplaneOptions): Promise<void> {
  const logger = options.logger ?? createLogger({ base: { role: 'dataplane' } });
  await runProxyUntilSignal({
    logger,
    what: 'dataplane',
    ...(options.drainTimeMs === undefined ? {} : { drainTimeMs: options.drainTimeMs }),
    ...(options.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: options.shutdownTimeoutMs }),
    start: (signal) => startDataplane({ ...options, logger, signal }),
  });
}
