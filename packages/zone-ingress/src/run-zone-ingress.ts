/** `strait zone-ingress run`: an ingress's whole life, from registration to a graceful exit on SIGTERM/SIGINT. */
import { createLogger, runProxyUntilSignal } from '@strait/shared';
import { startZoneIngress } from './start-zone-ingress.js';
import type { ZoneIngressOptions } from './zone-ingress-options.js';

/**
 * Runs a zone ingress until SIGTERM/SIGINT: registers with the zone CP, runs Envoy (restarted
 * when it dies) and logs `ready`; on the signal drains Envoy, stops it, deregisters and resolves
 * (exit 0). Rejects (exit 1) when the CP refuses the ingress (logged as `bootstrap refused` with
 * the CP's reason; Envoy never started), when start-up fails otherwise, or when Envoy keeps crashing.
 */
export async function runZoneIngress(options: ZoneIngressOptions): Promise<void> {
  const logger = options.logger ?? createLogger({ base: { role: 'zone-ingress' } });
  await runProxyUntilSignal({
    logger,
    what: 'zone ingress',
    ...(options.drainTimeMs === undefined ? {} : { drainTimeMs: options.drainTimeMs }),
    ...(options.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: options.shutdownTimeoutMs }),
    start: (signal) => startZoneIngress({ ...options, logger, signal }),
  });
}
