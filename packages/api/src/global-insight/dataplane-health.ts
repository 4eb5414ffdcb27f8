import { isOnline } from '../overview/online.js';
import type { Health } from './status-counter.js';

/** The service tag (Kuma's). */
export const SERVICE_TAG = 'kuma.io/service';

/** Which of Kuma's dataplane kinds a Dataplane spec is. */
export type DataplaneKind = 'standard' | 'gatewayBuiltin' | 'gatewayDelegated';

interface Inbound {
  readonly tags?: Readonly<Record<string, string>>;
  readonly state?: string;
  readonly health?: { readonly ready?: boolean };
}

interface DataplaneSpec {
  readonly networking?: {
    readonly gateway?: { readonly type?: string; readonly tags?: Readonly<Record<string, string>> };
    readonly inbound?: readonly Inbound[];
  };
}

/** What the global insight needs from one Dataplane. */
export interface DataplaneFacts {
  readonly kind: DataplaneKind;
  readonly health: Health;
  /** Health per service the proxy serves (inbounds, or the gateway's service). */
  readonly services: ReadonlyMap<string, Health>;
}

const inboundReady = (i: Inbound): boolean => i.health?.ready !== false && i.state !== 'NotReady';

/** Reads kind, health and services of a Dataplane spec given its insight spec. */
export function dataplaneFacts(spec: unknown, insightSpec: unknown): DataplaneFacts {
  const networking = (spec as DataplaneSpec | undefined)?.networking ?? {};
  const online = isOnline(insightSpec);
  const services = new Map<string, Health>();
  const gateway = networking.gateway;
  if (gateway !== undefined) {
    const service = gateway.tags?.[SERVICE_TAG];
    if (service !== undefined) services.set(service, online ? 'online' : 'offline');
    return {
      kind: gateway.type === 'BUILTIN' ? 'gatewayBuiltin' : 'gatewayDelegated',
      health: online ? 'online' : 'offline',
      services,
    };
  }
  const inbounds = (networking.inbound ?? []).filter((i) => i.state !== 'Ignored');
  for (const inbound of inbounds) {
    const service = inbound.tags?.[SERVICE_TAG];
    if (service === undefined) continue;
    const health: Health = online && inboundReady(inbound) ? 'online' : 'offline';
    // A proxy with two inbounds of one service counts the service's worst state.
    if (services.get(service) !== 'offline') services.set(service, health);
  }
  let health: Health = 'offline';
  if (online) health = inbounds.every(inboundReady) ? 'online' : 'partiallyDegraded';
  return { kind: 'standard', health, services };
}
