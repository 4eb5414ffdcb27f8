/** Universal objects and insight specs the API tests share (not exported from the package). */

/** A Dataplane with one inbound of service `service`. */
export function dataplane(mesh: string, name: string, service = 'web'): Record<string, unknown> {
  return {
    type: 'Dataplane',
    mesh,
    name,
    networking: { address: '10.0.0.1', inbound: [{ port: 8080, tags: { 'kuma.io/service': service } }] },
  };
}

/** An insight spec with one subscription, connected or (when `disconnected`) closed. */
export function insightSpec(disconnected = false): Record<string, unknown> {
  const subscription: Record<string, unknown> = {
    id: 'sub-1',
    controlPlaneInstanceId: 'cp-1',
    connectTime: '2024-05-01T12:00:00Z',
  };
  if (disconnected) subscription.disconnectTime = '2024-05-01T13:00:00Z';
  return { subscriptions: [subscription] };
}
