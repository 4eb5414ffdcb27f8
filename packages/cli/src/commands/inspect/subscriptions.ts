import { fieldAt } from '../../output/universal-fields.js';

/** What the insight subscriptions of a proxy or zone say about its connection. */
export interface SubscriptionSummary {
  /** `online` when the latest subscription has connected and not disconnected. */
  readonly status: 'online' | 'offline';
  /** RFC 3339 connect time of the latest subscription. */
  readonly lastConnected?: string;
  /** RFC 3339 time of the latest status update of the latest subscription. */
  readonly lastUpdated?: string;
  /** Responses sent over all subscriptions. */
  readonly totalUpdates: number;
  /** Responses rejected (NACKed) over all subscriptions. */
  readonly totalErrors: number;
  /** The latest subscription itself (for version columns). */
  readonly latest?: unknown;
}

/**
 * Summarises `subscriptions` of a DataplaneInsight, ZoneInsight or ZoneIngressInsight. The
 * latest subscription is the last in the list (insights append on each connect).
 */
export function summarizeSubscriptions(subscriptions: unknown): SubscriptionSummary {
  const subs = Array.isArray(subscriptions) ? subscriptions : [];
  let totalUpdates = 0;
  let totalErrors = 0;
  for (const s of subs) {
    totalUpdates += numberAt(s, ['status', 'total', 'responsesSent']);
    totalErrors += numberAt(s, ['status', 'total', 'responsesRejected']);
  }
  const latest: unknown = subs.at(-1);
  const connectTime = timestamp(fieldAt(latest, ['connectTime']));
  const disconnectTime = timestamp(fieldAt(latest, ['disconnectTime']));
  const lastUpdated = timestamp(fieldAt(latest, ['status', 'lastUpdateTime']));
  return {
    status: connectTime !== undefined && disconnectTime === undefined ? 'online' : 'offline',
    ...(connectTime === undefined ? {} : { lastConnected: connectTime }),
    ...(lastUpdated === undefined ? {} : { lastUpdated }),
    totalUpdates,
    totalErrors,
    ...(latest === undefined ? {} : { latest }),
  };
}

/**
 * A protobuf Timestamp in its JSON form: an RFC 3339 string, or (as the OpenAPI schema
 * describes it) `{seconds, nanos}`. Undefined when absent.
 */
export function timestamp(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  const seconds = fieldAt(value, ['seconds']);
  if (typeof seconds === 'number' || (typeof seconds === 'string' && seconds !== '')) {
    const nanos = Number(fieldAt(value, ['nanos']) ?? 0);
    return new Date(Number(seconds) * 1000 + Math.floor(nanos / 1e6)).toISOString();
  }
  return undefined;
}

function numberAt(value: unknown, path: readonly string[]): number {
  const n = Number(fieldAt(value, path) ?? 0);
  return Number.isFinite(n) ? n : 0;
}
