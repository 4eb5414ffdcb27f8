/** One entry of an insight's `subscriptions` (a connection of a proxy or zone to its CP). */
interface Subscription {
  readonly connectTime?: unknown;
  readonly disconnectTime?: unknown;
}

/**
 * True when the insight shows a live connection: a subscription with a `connectTime` and no
 * `disconnectTime`.
 */
export function isOnline(insightSpec: unknown): boolean {
  const subscriptions = (insightSpec as { subscriptions?: unknown } | undefined)?.subscriptions;
  if (!Array.isArray(subscriptions)) return false;
  return subscriptions.some((s: Subscription | null) => {
    if (typeof s !== 'object' || s === null) return false;
    const connected = s.connectTime !== undefined && s.connectTime !== null && s.connectTime !== '';
    const disconnected = s.disconnectTime !== undefined && s.disconnectTime !== null && s.disconnectTime !== '';
    return connected && !disconnected;
  });
}
