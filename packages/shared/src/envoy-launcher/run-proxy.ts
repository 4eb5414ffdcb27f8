/**
 * A proxy runner's whole life as a process (`strait dp run`, `strait zone-ingress run`): start,
 * run until SIGTERM/SIGINT or until Envoy keeps crashing, then drain, stop and deregister.
 */
import type { Logger } from '../logging/logger.js';
import { DEFAULT_DRAIN_TIME_MS, type LaunchedProxy, wasReported } from './launch-proxy.js';

/** Margin on top of the drain time for stopping Envoy and deregistering. */
const SHUTDOWN_MARGIN_MS = 30_000;

/** Options of {@link runProxyUntilSignal}. */
export interface RunProxyOptions {
  readonly logger: Logger;
  /** What runs, for log lines: `dataplane`, `zone ingress`. */
  readonly what: string;
  readonly drainTimeMs?: number;
  readonly shutdownTimeoutMs?: number;
  /** Starts the proxy; `signal` aborts on the first SIGTERM/SIGINT. */
  start(signal: AbortSignal): Promise<Pick<LaunchedProxy, 'stop' | 'done'>>;
}

/**
 * Handles SIGTERM/SIGINT for the run: the first aborts `shutdown` and arms a deadline after which
 * the process exits 1; a second exits 1 at once. Returns a function that removes the handlers.
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
  const crashed = done.then(
    () => undefined,
    (err: unknown) => err,
  );
  return Promise.race([aborted, crashed]);
}

/**
 * Runs a proxy until SIGTERM/SIGINT; on the signal drains Envoy, stops it, deregisters and
 * resolves (exit 0). Rejects (exit 1) when start-up fails (a CP refusal is already logged as
 * `bootstrap refused`) or when Envoy keeps crashing. A signal during start-up stops what was
 * started and resolves.
 */
export async function runProxyUntilSignal(options: RunProxyOptions): Promise<void> {
  const { logger, what } = options;
  const drainTimeMs = options.drainTimeMs ?? DEFAULT_DRAIN_TIME_MS;
  const shutdown = new AbortController();
  const removeHandlers = handleSignals(shutdown, logger, options.shutdownTimeoutMs ?? drainTimeMs + SHUTDOWN_MARGIN_MS);
  try {
    let proxy: Pick<LaunchedProxy, 'stop' | 'done'>;
    try {
      proxy = await options.start(shutdown.signal);
    } catch (err) {
      if (shutdown.signal.aborted) {
        logger.info('stopped during start-up');
        return;
      }
      if (!wasReported(err)) logger.error({ reason: (err as Error).message }, `${what} failed to start`);
      throw err;
    }
    const crashed = await untilShutdownOrCrash(shutdown.signal, proxy.done);
    await proxy.stop();
    if (crashed !== undefined) {
      logger.error({ reason: (crashed as Error).message }, `${what} failed`);
      throw crashed;
    }
    logger.info('stopped');
  } finally {
    removeHandlers();
  }
}
