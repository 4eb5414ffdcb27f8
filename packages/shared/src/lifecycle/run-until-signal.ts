import type { Logger } from '../logging/logger.js';

/** Something that runs until stopped. */
export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Keeps a started process alive until SIGTERM or SIGINT, then stops it gracefully; if that
 * takes longer than `shutdownTimeoutMs` (or a second signal arrives), exits with code 1.
 */
export function runUntilSignal(running: Stoppable, logger: Logger, shutdownTimeoutMs: number): Promise<void> {
  return new Promise((resolveRun) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'shutting down');
      const timer = setTimeout(() => {
        logger.error({ shutdownTimeoutMs }, 'graceful shutdown timed out: exiting');
        process.exit(1);
      }, shutdownTimeoutMs);
      timer.unref();
      running.stop().then(
        () => {
          clearTimeout(timer);
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          logger.info('stopped');
          resolveRun();
        },
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
