/**
 * Keeps `availableServices` of this zone's ZoneIngresses in step with the zone's Dataplanes.
 * Event-driven and bounded: a Dataplane or ZoneIngress change (or a proxy going on/offline,
 * reported through `touch`) schedules one recomputation after a debounce; a ZoneIngress is
 * written only when its computed list differs from the stored one, so unrelated changes (and
 * the updater's own writes) cost a read, never a write.
 */

import { type Component, isStraitError, type Logger, type Resource, type ResourceStore } from '@strait/shared';
import { type AvailableService, computeAvailableServices, sameAvailableServices } from './available-services.js';
import { ingressZoneOf } from './ingress-zone.js';
import { localInstances } from './local-instances.js';

/** Options of {@link createAvailableServicesUpdater}. */
export interface AvailableServicesUpdaterOptions {
  readonly store: ResourceStore;
  readonly logger: Logger;
  /** This CP's zone: only its ZoneIngresses are written, only its Dataplanes count. */
  readonly zone: string;
  /** Whether a Dataplane's proxy is known to be disconnected from this CP. */
  readonly isOffline: (mesh: string, name: string) => boolean;
  /**
   * Whether a zone ingress of this zone is offline: it then advertises nothing, so the other
   * zones stop sending traffic to an address nobody answers at. Default: never.
   */
  readonly isIngressOffline?: (name: string) => boolean;
  /** Quiet time after a change before recomputing; default 100 ms. */
  readonly debounceMs?: number;
  /** Longest a change waits under a continuous burst; default 1000 ms. */
  readonly maxDelayMs?: number;
}

/** The running updater. */
export interface AvailableServicesUpdater extends Component {
  /** Something the store does not show changed (a proxy connected or disconnected): recompute soon. */
  touch(): void;
  /** Resolves once every change seen so far has been computed (and written if needed). */
  settled(): Promise<void>;
  /** ZoneIngress writes made so far (tests prove unrelated changes make none). */
  writes(): number;
}

const WATCHED_TYPES: ReadonlySet<string> = new Set(['Dataplane', 'ZoneIngress', 'Mesh']);

/** Creates the updater; `start` computes once and then follows store events. */
export function createAvailableServicesUpdater(options: AvailableServicesUpdaterOptions): AvailableServicesUpdater {
  const log = options.logger.child({ component: 'available-services' });
  const debounceMs = options.debounceMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 1_000;
  let timer: NodeJS.Timeout | undefined;
  let firstDirtyAt = 0;
  let dirty = false;
  let running: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  let stopped = false;
  let writes = 0;
  let idleWaiters: Array<() => void> = [];

  const schedule = (): void => {
    if (stopped) return;
    dirty = true;
    const now = Date.now();
    if (timer === undefined) firstDirtyAt = now;
    else clearTimeout(timer);
    timer = setTimeout(
      () => {
        timer = undefined;
        void flush();
      },
      Math.max(0, Math.min(debounceMs, firstDirtyAt + maxDelayMs - now)),
    );
  };

  async function write(ingress: Resource, computed: readonly AvailableService[], offline: boolean): Promise<void> {
    const spec = { ...(ingress.spec as Record<string, unknown>), availableServices: computed };
    try {
      await options.store.update(
        { type: 'ZoneIngress', name: ingress.meta.name, labels: ingress.meta.labels, spec },
        { expectedVersion: ingress.meta.version },
      );
      writes++;
      log.info(
        {
          ingress: ingress.meta.name,
          services: computed.length,
          instances: computed.reduce((n, s) => n + s.instances, 0),
          ...(offline ? { offline } : {}),
        },
        offline ? 'zone ingress offline: advertising no services' : 'updated available services',
      );
    } catch (err) {
      // Re-registered or deleted meanwhile: its change event schedules another pass.
      if (isStraitError(err, 'Conflict') || isStraitError(err, 'NotFound')) return;
      throw err;
    }
  }

  async function recompute(): Promise<void> {
    const ingresses = (await options.store.list({ type: 'ZoneIngress' })).items.filter(
      (i) => ingressZoneOf(i) === options.zone,
    );
    if (ingresses.length === 0) return;
    const dataplanes = (await options.store.list({ type: 'Dataplane' })).items;
    const computed = computeAvailableServices(
      localInstances(dataplanes, { zone: options.zone, isOffline: options.isOffline }),
    );
    for (const ingress of ingresses) {
      const offline = options.isIngressOffline?.(ingress.meta.name) === true;
      const wanted = offline ? [] : computed;
      const stored = (ingress.spec as { availableServices?: unknown }).availableServices;
      if (!sameAvailableServices(stored, wanted)) await write(ingress, wanted, offline);
    }
  }

  async function flush(): Promise<void> {
    if (running !== undefined) return; // the running pass re-checks `dirty` when it ends
    dirty = false;
    running = recompute().catch((err: unknown) => {
      log.error({ err }, 'failed to update available services; retrying');
      schedule();
    });
    try {
      await running;
    } finally {
      running = undefined;
    }
    if (dirty) schedule();
    else if (timer === undefined) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  return {
    name: 'available-services',
    needsLeadership: true,
    async start() {
      unsubscribe = options.store.subscribe((event) => {
        if (WATCHED_TYPES.has(event.key.type)) schedule();
      });
      schedule();
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running;
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    },
    touch: schedule,
    settled() {
      if (timer === undefined && running === undefined && !dirty) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    writes: () => writes,
  };
}
