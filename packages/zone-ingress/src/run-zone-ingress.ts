/** `strait zone-ingress run`: an ingress's whole life, from registration to a graceful exit on SIGTERM/SIGINT. */
import { createLogger, type Logger } from '@strait/shared';
import { type RunningZoneIngress, startZoneIngress, wasReported } from './start-zone-ingress.js';
import { DEFAULT_DRAIN_TIME_MS, type ZoneIngressOptions } from './zone-ingress-options.js';

/** Margin on top of the drain time for stopping Envoy and deregistering. */
const SHUTDOWN_MARGIN_MS = 30_000;

/**
 * The first SIGTERM/SIGINT aborts `shutdown` and arms a deadline after which the process exits 1;
 * a second exits 1 at once. Returns a function that removes the handlers.
 */
function handleSignals(shutdown: AbortController, logger: Logger, shutdownTimeoutMs: number): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shutdown.signal.aborted) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, 'graceful shutdown timed out: exiting');
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    shutdown.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}

/** Resolves `undefined` when `signal` aborts, or with the error when `done` rejects first. */
function untilShutdownOrCrash(signal: AbortSignal, done: Promise<void>): Promise<unknown> {
  const aborted = new Promise<undefined>((resolve) => {
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
  return Promise.race([
    aborted,
    done.then(
      () => undefined,
      (err: unknown) => err,
    ),
  ]);
}

/**
 * Runs a zone ingress until SIGTERM/SIGINT: registers with the zone CP, runs Envoy (restarted
 * when it dies) and logs `ready`; on the signal drains Envoy, stops it, deregisters and resolves
 * (exit 0). Rejects (exit 1) when the CP refuses the ingress (logged as `bootstrap refused` with
 * the CP's reason; Envoy never started), when start-up fails otherwise, or when Envoy keeps crashing.
 */
export async function runZoneIngress(options: ZoneIngressOptions): Promise<void> {
  const logger = options.logger ?? createLogger({ base: { role: 'zone-ingress' } });
  const drainTimeMs = options.drainTimeMs ?? DEFAULT_DRAIN_TIME_MS;
  const shutdown = new AbortController();
  const removeHandlers = handleSignals(shutdown, logger, options.shutdownTimeoutMs ?? drainTimeMs + SHUTDOWN_MARGIN_MS);
  try {
    let ingress: RunningZoneIngress;
    try {
      ingress = await startZoneIngress({ ...options, logger, signal: shutdown.signal });
    } catch (err) {
      if (shutdown.signal.aborted) {
        logger.info('stopped during start-up');
        return;
      }
      if (!wasReported(err)) logger.error({ reason: (err as Error).message }, 'zone ingress failed to start');
      throw err;
    }
    const crashed = await untilShutdownOrCrash(shutdown.signal, ingress.done);
    await ingress.stop();
    if (crashed !== undefined) {
      logger.error({ reason: (crashed as Error).message }, 'zone ingress failed');
      throw crashed;
    }
    logger.info('stopped');
  } finally {
    removeHandlers();
  }
}
