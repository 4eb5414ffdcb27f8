import type { Logger } from '../logging/logger.js';

/** A piece of long-running work: a server, a sync loop, a watcher. */
export interface Component {
  readonly name: string;
  /** Only the leader replica runs it (all components run on a single replica). */
  readonly needsLeadership: boolean;
  /** Starts the work; resolves once it is serving. `signal` aborts when the process stops. */
  start(signal: AbortSignal): Promise<void>;
  /** Stops the work and releases what it holds; must be safe to call once after start. */
  stop(): Promise<void>;
}

/** Starts components in order and stops them in reverse. */
export interface ComponentManager {
  add(component: Component): void;
  /** Starts every component in the order added; if one fails, stops those already started and rethrows. */
  startAll(): Promise<void>;
  /** Stops every started component in reverse order, logging (not throwing) individual failures. */
  stopAll(): Promise<void>;
}

/** Creates a {@link ComponentManager} that logs each start and stop. */
export function createComponentManager(logger: Logger): ComponentManager {
  const components: Component[] = [];
  const started: Component[] = [];
  const abort = new AbortController();

  async function stopAll(): Promise<void> {
    abort.abort();
    while (started.length > 0) {
      const c = started.pop() as Component;
      try {
        await c.stop();
        logger.debug({ component: c.name }, 'stopped');
      } catch (err) {
        logger.error({ component: c.name, err }, 'component failed to stop');
      }
    }
  }

  return {
    add(component) {
      components.push(component);
    },
    async startAll() {
      for (const c of components) {
        try {
          await c.start(abort.signal);
        } catch (err) {
          logger.error({ component: c.name, err }, 'component failed to start');
          await stopAll();
          throw err;
        }
        started.push(c);
        logger.debug({ component: c.name }, 'started');
      }
    },
    stopAll,
  };
}
