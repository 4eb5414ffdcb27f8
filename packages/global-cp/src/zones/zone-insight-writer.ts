import { randomUUID } from 'node:crypto';
import { type Component, isStraitError, type Logger, type ResourceStore } from '@strait/shared';

interface Stats {
  responsesSent: number;
  responsesAcknowledged: number;
  responsesRejected: number;
}

interface Subscription {
  id: string;
  globalInstanceId: string;
  zoneInstanceId?: string;
  connectTime: string;
  disconnectTime?: string;
  status: {
    lastUpdateTime: string;
    total: Stats;
    stat: Record<string, Stats>;
    lastNack?: { type: string; message: string; time: string };
  };
  version?: { kumaCp: { version: string } };
  config?: string;
  authTokenProvided: boolean;
  generation: number;
}

interface Tracked {
  readonly subscription: Subscription;
  healthLastUpdateTime: string;
  lastHeartbeatMs: number;
  dirty: boolean;
}

/** Options of {@link createZoneInsightWriter}. */
export interface ZoneInsightWriterOptions {
  readonly store: ResourceStore;
  readonly logger: Logger;
  readonly instanceId: string;
  /** A zone silent this long is marked offline; default 30 s. */
  readonly offlineAfterMs?: number;
  /** How often insights are written and silence is checked; default 1 s. */
  readonly flushIntervalMs?: number;
  /** Called when a zone goes offline for silence (its KDS streams are closed by their own heartbeat timeout). */
  readonly onOffline?: (zone: string) => void;
  readonly keepSubscriptions?: number;
  /** Clock (tests); default `Date.now`. */
  readonly nowMs?: () => number;
}

/** Records zones' KDS streams and heartbeats into ZoneInsights; marks silent zones offline. */
export interface ZoneInsightWriter extends Component {
  connected(zone: string, info: { zoneInstanceId?: string; version?: string; config?: string }): void;
  disconnected(zone: string): void;
  heartbeat(zone: string): void;
  sent(zone: string, type: string, count?: number): void;
  acked(zone: string, type: string): void;
  nacked(zone: string, type: string, message: string): void;
  flush(): Promise<void>;
}

const zero = (): Stats => ({ responsesSent: 0, responsesAcknowledged: 0, responsesRejected: 0 });

/**
 * Insight writes are batched on one timer. A zone counts as online while its last subscription
 * has no disconnectTime; silence longer than `offlineAfterMs` closes the subscription (Kuma #7027:
 * a zone that stops heartbeating must show offline promptly).
 */
export function createZoneInsightWriter(options: ZoneInsightWriterOptions): ZoneInsightWriter {
  const log = options.logger.child({ component: 'zone-insights' });
  const offlineAfterMs = options.offlineAfterMs ?? 30_000;
  const keep = options.keepSubscriptions ?? 5;
  const tracked = new Map<string, Tracked>();
  const clock = options.nowMs ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;

  const touch = (zone: string): Tracked | undefined => {
    const t = tracked.get(zone);
    if (t === undefined) return undefined;
    const now = new Date().toISOString();
    t.subscription.status.lastUpdateTime = now;
    t.subscription.generation += 1;
    t.dirty = true;
    return t;
  };
  const bump = (zone: string, type: string, field: keyof Stats, by = 1): Tracked | undefined => {
    const t = touch(zone);
    if (t === undefined) return undefined;
    t.subscription.status.total[field] += by;
    const stat = t.subscription.status.stat[type] ?? zero();
    stat[field] += by;
    t.subscription.status.stat[type] = stat;
    return t;
  };

  async function write(zone: string, t: Tracked): Promise<void> {
    const key = { type: 'ZoneInsight', name: zone };
    const existing = await options.store.get(key);
    const previous = ((existing?.spec as { subscriptions?: Subscription[] } | undefined)?.subscriptions ?? []).filter(
      (s) => s.id !== t.subscription.id,
    );
    const spec = {
      subscriptions: [...previous, structuredClone(t.subscription)].slice(-keep),
      healthLastUpdateTime: t.healthLastUpdateTime,
    };
    const input = { ...key, labels: {}, spec, owner: { type: 'Zone', name: zone } };
    try {
      if (existing === undefined) await options.store.create(input);
      else await options.store.update(input);
    } catch (err) {
      if (isStraitError(err, 'NotFound')) return; // the Zone was deleted
      throw err;
    }
  }

  async function flushNow(): Promise<void> {
    const now = clock();
    for (const [zone, t] of [...tracked]) {
      if (t.subscription.disconnectTime === undefined && now - t.lastHeartbeatMs > offlineAfterMs) {
        t.subscription.disconnectTime = new Date().toISOString();
        t.dirty = true;
        log.warn({ zone, silentMs: now - t.lastHeartbeatMs }, 'zone stopped heartbeating: marked offline');
        options.onOffline?.(zone);
      }
      if (!t.dirty) continue;
      t.dirty = false;
      try {
        await write(zone, t);
      } catch (err) {
        t.dirty = true;
        log.warn({ err, zone }, 'failed to write zone insight');
      }
      if (t.subscription.disconnectTime !== undefined && !t.dirty) tracked.delete(zone);
    }
  }

  async function flush(): Promise<void> {
    while (flushing !== undefined) await flushing;
    flushing = flushNow();
    try {
      await flushing;
    } finally {
      flushing = undefined;
    }
  }

  /** Subscriptions an earlier global instance left open are closed: those zones reconnect here. */
  async function closeStale(): Promise<void> {
    const now = new Date().toISOString();
    for (const insight of (await options.store.list({ type: 'ZoneInsight' })).items) {
      const subs = (insight.spec as { subscriptions?: Subscription[] }).subscriptions ?? [];
      if (!subs.some((s) => s.disconnectTime === undefined)) continue;
      const spec = { ...(insight.spec as object), subscriptions: subs.map((s) => ({ disconnectTime: now, ...s })) };
      await options.store
        .update(
          { type: 'ZoneInsight', name: insight.meta.name, labels: insight.meta.labels, spec },
          { expectedVersion: insight.meta.version },
        )
        .catch((err: unknown) => log.debug({ err }, 'could not close a stale zone subscription'));
    }
  }

  return {
    name: 'zone-insights',
    needsLeadership: false,
    async start() {
      await closeStale();
      timer = setInterval(() => void flush(), options.flushIntervalMs ?? 1_000);
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
    connected(zone, info) {
      const now = new Date(clock());
      tracked.set(zone, {
        subscription: {
          id: randomUUID(),
          globalInstanceId: options.instanceId,
          ...(info.zoneInstanceId === undefined ? {} : { zoneInstanceId: info.zoneInstanceId }),
          connectTime: now.toISOString(),
          status: { lastUpdateTime: now.toISOString(), total: zero(), stat: {} },
          ...(info.version === undefined ? {} : { version: { kumaCp: { version: info.version } } }),
          ...(info.config === undefined ? {} : { config: info.config }),
          authTokenProvided: true,
          generation: 0,
        },
        healthLastUpdateTime: now.toISOString(),
        lastHeartbeatMs: now.getTime(),
        dirty: true,
      });
    },
    disconnected(zone) {
      const t = touch(zone);
      if (t !== undefined && t.subscription.disconnectTime === undefined)
        t.subscription.disconnectTime = new Date().toISOString();
    },
    heartbeat(zone) {
      const t = tracked.get(zone);
      if (t === undefined) return;
      t.lastHeartbeatMs = clock();
      t.healthLastUpdateTime = new Date(t.lastHeartbeatMs).toISOString();
      t.dirty = true;
    },
    sent: (zone, type, count = 1) => void bump(zone, type, 'responsesSent', count),
    acked: (zone, type) => void bump(zone, type, 'responsesAcknowledged'),
    nacked(zone, type, message) {
      const t = bump(zone, type, 'responsesRejected');
      if (t !== undefined) t.subscription.status.lastNack = { type, message, time: new Date().toISOString() };
    },
    flush,
  };
}
