import { randomUUID } from 'node:crypto';
import { type Component, isStraitError, type Logger, type ResourceKey, type ResourceStore } from '@strait/shared';

/** Counters of one type (or all types) on one stream, as DataplaneInsight shapes them. */
interface Stats {
  responsesSent: number;
  responsesAcknowledged: number;
  responsesRejected: number;
}

interface Subscription {
  id: string;
  controlPlaneInstanceId: string;
  connectTime: string;
  disconnectTime?: string;
  status: {
    lastUpdateTime: string;
    total: Stats;
    cds: Stats;
    eds: Stats;
    lds: Stats;
    rds: Stats;
    lastNack?: { type: string; message: string; time: string };
  };
  version?: { envoy?: { version: string } };
}

interface Tracked {
  readonly insightKey: ResourceKey;
  readonly owner: ResourceKey;
  readonly subscription: Subscription;
  dirty: boolean;
  closed: boolean;
}

/** Options of {@link createProxyInsightWriter}. */
export interface ProxyInsightWriterOptions {
  readonly store: ResourceStore;
  readonly logger: Logger;
  /** This CP instance (recorded in each subscription). */
  readonly instanceId: string;
  /** How often changed insights are written (one timer for all proxies); default 1 s. */
  readonly flushIntervalMs?: number;
  /** Subscriptions kept per proxy (the newest); default 5. */
  readonly keepSubscriptions?: number;
}

/** Records each proxy's xDS streams into its DataplaneInsight / ZoneIngressInsight. */
export interface ProxyInsightWriter extends Component {
  opened(proxyId: string, owner: ResourceKey, info: { connectTime: Date; envoyVersion?: string }): void;
  closed(proxyId: string): void;
  sent(proxyId: string, typeUrl: string): void;
  acked(proxyId: string, typeUrl: string): void;
  nacked(proxyId: string, typeUrl: string, message: string): void;
  /** Writes everything pending now (tests, shutdown). */
  flush(): Promise<void>;
}

const SHORT: Readonly<Record<string, 'cds' | 'eds' | 'lds' | 'rds'>> = {
  'type.googleapis.com/envoy.config.cluster.v3.Cluster': 'cds',
  'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment': 'eds',
  'type.googleapis.com/envoy.config.listener.v3.Listener': 'lds',
  'type.googleapis.com/envoy.config.route.v3.RouteConfiguration': 'rds',
};

const INSIGHT_TYPE: Readonly<Record<string, string>> = {
  Dataplane: 'DataplaneInsight',
  ZoneIngress: 'ZoneIngressInsight',
};

/** Insights written in one go; a pass yields to the event loop between slices. */
const WRITES_PER_SLICE = 25;

/**
 * After each slice, a timer-driven pass pauses for this many times as long as the slice took,
 * so that insight writes take at most a fifth of the CPU: after a mesh-wide change every proxy
 * ACKs within a second and all their insights are dirty at once, and writing thousands in a
 * burst would hold up the config still being sent and the ACKs still arriving. An explicit
 * `flush` (tests, shutdown) does not pause, and makes a running pass stop pausing.
 */
const PAUSE_PER_BUSY = 4;

const zero = (): Stats => ({ responsesSent: 0, responsesAcknowledged: 0, responsesRejected: 0 });

/**
 * Insight writes are batched on one timer, never per event, and go only to the insight types,
 * which config generation ignores: heartbeats and counters never cause regeneration.
 */
export function createProxyInsightWriter(options: ProxyInsightWriterOptions): ProxyInsightWriter {
  const log = options.logger.child({ component: 'proxy-insights' });
  const keep = options.keepSubscriptions ?? 5;
  const tracked = new Map<string, Tracked>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  let hurrying = 0; // explicit flushes waiting: the running pass stops pausing

  const bump = (proxyId: string, typeUrl: string, field: keyof Stats): Tracked | undefined => {
    const t = tracked.get(proxyId);
    if (t === undefined) return undefined;
    const status = t.subscription.status;
    status.total[field] += 1;
    const short = SHORT[typeUrl];
    if (short !== undefined) status[short][field] += 1;
    status.lastUpdateTime = new Date().toISOString();
    t.dirty = true;
    return t;
  };

  async function write(t: Tracked): Promise<void> {
    const existing = await options.store.get(t.insightKey);
    const previous = ((existing?.spec as { subscriptions?: Subscription[] } | undefined)?.subscriptions ?? []).filter(
      (s) => s.id !== t.subscription.id,
    );
    const subscriptions = [...previous, structuredClone(t.subscription)].slice(-keep);
    const input = { ...t.insightKey, labels: {}, spec: { subscriptions }, owner: t.owner };
    try {
      if (existing === undefined) await options.store.create(input);
      else await options.store.update(input);
    } catch (err) {
      // The proxy's resource is gone (deregistered): its insight went with it.
      if (isStraitError(err, 'NotFound') || isStraitError(err, 'AlreadyExists') || isStraitError(err, 'Conflict'))
        return;
      throw err;
    }
  }

  /** Lets the event loop run between slices; a paced pass also pauses (see PAUSE_PER_BUSY). */
  async function yieldAfterSlice(paced: boolean, sliceMs: number): Promise<void> {
    const pauseMs = paced && hurrying === 0 ? Math.round(sliceMs * PAUSE_PER_BUSY) : 0;
    await new Promise((resolve) => (pauseMs > 0 ? setTimeout(resolve, pauseMs) : setImmediate(resolve)));
  }

  async function flushNow(paced: boolean): Promise<void> {
    let written = 0;
    let sliceStart = performance.now();
    for (const [proxyId, t] of [...tracked]) {
      if (!t.dirty) continue;
      if (written > 0 && written % WRITES_PER_SLICE === 0) {
        await yieldAfterSlice(paced, performance.now() - sliceStart);
        sliceStart = performance.now();
      }
      written++;
      t.dirty = false;
      try {
        await write(t);
      } catch (err) {
        t.dirty = true;
        log.warn({ err, proxy: proxyId }, 'failed to write proxy insight');
      }
      // While this pass yielded, the proxy may have reconnected: keep its new stream's entry.
      if (t.closed && !t.dirty && tracked.get(proxyId) === t) tracked.delete(proxyId);
    }
  }

  async function flush(paced = false): Promise<void> {
    if (!paced) hurrying++;
    try {
      while (flushing !== undefined) await flushing;
      const pass = flushNow(paced);
      flushing = pass;
      try {
        await pass;
      } finally {
        if (flushing === pass) flushing = undefined;
      }
    } finally {
      if (!paced) hurrying--;
    }
  }

  /** Streams left open by an earlier instance of this CP are closed: those proxies are not connected here. */
  async function closeStaleSubscriptions(): Promise<void> {
    const now = new Date().toISOString();
    for (const type of Object.values(INSIGHT_TYPE)) {
      for (const insight of (await options.store.list({ type })).items) {
        const subs = (insight.spec as { subscriptions?: Subscription[] }).subscriptions ?? [];
        if (!subs.some((s) => s.disconnectTime === undefined)) continue;
        const fixed = subs.map((s) => (s.disconnectTime === undefined ? { ...s, disconnectTime: now } : s));
        const key =
          insight.meta.mesh === undefined
            ? { type, name: insight.meta.name }
            : { type, mesh: insight.meta.mesh, name: insight.meta.name };
        await options.store
          .update(
            { ...key, labels: insight.meta.labels, spec: { subscriptions: fixed } },
            { expectedVersion: insight.meta.version },
          )
          .catch((err: unknown) => log.debug({ err }, 'could not close a stale subscription'));
      }
    }
  }

  return {
    name: 'proxy-insights',
    needsLeadership: false,
    async start() {
      await closeStaleSubscriptions();
      // A pass may still be writing (it yields): skip this tick, the next one takes what changed.
      timer = setInterval(() => {
        if (flushing === undefined) void flush(true);
      }, options.flushIntervalMs ?? 1_000);
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      const now = new Date().toISOString();
      for (const t of tracked.values()) {
        if (t.subscription.disconnectTime === undefined) {
          t.subscription.disconnectTime = now;
          t.dirty = true;
        }
      }
      await flush();
    },
    opened(proxyId, owner, info) {
      const type = INSIGHT_TYPE[owner.type];
      if (type === undefined) return;
      const now = info.connectTime.toISOString();
      tracked.set(proxyId, {
        insightKey: { ...owner, type },
        owner,
        subscription: {
          id: randomUUID(),
          controlPlaneInstanceId: options.instanceId,
          connectTime: now,
          status: { lastUpdateTime: now, total: zero(), cds: zero(), eds: zero(), lds: zero(), rds: zero() },
          ...(info.envoyVersion === undefined ? {} : { version: { envoy: { version: info.envoyVersion } } }),
        },
        dirty: true,
        closed: false,
      });
    },
    closed(proxyId) {
      const t = tracked.get(proxyId);
      if (t === undefined) return;
      t.subscription.disconnectTime = new Date().toISOString();
      t.closed = true;
      t.dirty = true;
    },
    sent: (proxyId, typeUrl) => void bump(proxyId, typeUrl, 'responsesSent'),
    acked: (proxyId, typeUrl) => void bump(proxyId, typeUrl, 'responsesAcknowledged'),
    nacked(proxyId, typeUrl, message) {
      const t = bump(proxyId, typeUrl, 'responsesRejected');
      if (t !== undefined) t.subscription.status.lastNack = { type: typeUrl, message, time: new Date().toISOString() };
      log.warn({ proxy: proxyId, typeUrl, message }, 'proxy rejected configuration (NACK)');
    },
    flush: () => flush(),
  };
}
