/**
 * On the global CP, what a zone synced up (`kuma.io/origin: zone`, `kuma.io/zone: <zone>`)
 * comes with its insights (DataplaneInsight, ZoneIngressInsight) as the zone last sent them.
 * Once the zone goes offline nobody updates them, so a proxy or ingress the zone last saw
 * connected would show online for ever (Kuma #7027). While its zone is offline, every open
 * subscription of such an insight is therefore shown closed, at the time the zone was last
 * heard from. Nothing is written: the zone's own view comes back with the zone.
 */

import { ORIGIN_LABEL, ORIGIN_ZONE, type Resource, type ResourceStore, ZONE_TAG } from '@strait/shared';
import { isOnline } from './online.js';

/** The type holding each zone's connection state on the global. */
const ZONE_INSIGHT = 'ZoneInsight';

/** Per request: which zones are online, read once, when first needed. */
export interface ZoneLiveness {
  /** The insight spec of `resource` as it must be shown (`insightSpec` itself unless its zone is offline). */
  insightOf(resource: Resource, insightSpec: unknown): Promise<unknown>;
}

interface ZoneState {
  readonly online: boolean;
  /** When the zone was last heard from (RFC 3339), for the subscriptions shown closed. */
  readonly lastSeen: string | undefined;
}

/** Reads the zones' state from their ZoneInsights, lazily: a CP without zone copies never lists them. */
export function zoneLiveness(store: ResourceStore, now: () => Date = () => new Date()): ZoneLiveness {
  let zones: Promise<ReadonlyMap<string, ZoneState>> | undefined;
  const load = async (): Promise<ReadonlyMap<string, ZoneState>> => {
    const { items } = await store.list({ type: ZONE_INSIGHT });
    return new Map(items.map((insight) => [insight.meta.name, stateOf(insight.spec)] as const));
  };
  return {
    async insightOf(resource, insightSpec) {
      const labels = resource.meta.labels;
      const zone = labels[ZONE_TAG];
      if (labels[ORIGIN_LABEL] !== ORIGIN_ZONE || zone === undefined) return insightSpec;
      zones ??= load();
      const state = (await zones).get(zone);
      if (state?.online === true) return insightSpec;
      return closedAt(insightSpec, state?.lastSeen ?? now().toISOString());
    },
  };
}

function stateOf(spec: unknown): ZoneState {
  const s = spec as { subscriptions?: unknown; healthLastUpdateTime?: unknown } | undefined;
  const subscriptions = Array.isArray(s?.subscriptions) ? (s.subscriptions as unknown[]) : [];
  const last = subscriptions.at(-1) as { disconnectTime?: unknown } | undefined;
  const lastSeen = [last?.disconnectTime, s?.healthLastUpdateTime].find(
    (t): t is string => typeof t === 'string' && t !== '',
  );
  return { online: isOnline(spec), lastSeen };
}

/** A copy of an insight spec whose open subscriptions are closed at `time`. */
function closedAt(insightSpec: unknown, time: string): unknown {
  const spec = insightSpec as { subscriptions?: unknown } | undefined;
  if (!Array.isArray(spec?.subscriptions)) return insightSpec;
  return {
    ...spec,
    subscriptions: spec.subscriptions.map((s: unknown) => {
      if (typeof s !== 'object' || s === null) return s;
      const sub = s as { connectTime?: unknown; disconnectTime?: unknown };
      if (sub.disconnectTime !== undefined && sub.disconnectTime !== null && sub.disconnectTime !== '') return sub;
      // Clocks of zone and global differ: never show a stream closing before it opened.
      const opened = typeof sub.connectTime === 'string' ? Date.parse(sub.connectTime) : Number.NaN;
      return { ...sub, disconnectTime: opened > Date.parse(time) ? sub.connectTime : time };
    }),
  };
}
