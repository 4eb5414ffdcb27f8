/**
 * What the scenario watches on the fleet: when the last xDS response arrived (to tell when the
 * CP has settled) and, once armed for a policy change, which LDS response each proxy got next
 * and when it ACKed it.
 */

import { status } from '@grpc/grpc-js';
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL } from '@strait/proto/envoy';
import type { DeltaProxy, DeltaProxyObserver } from '../../xds/delta-proxy.js';

/** See the file comment. */
export interface FleetWatch {
  readonly observer: DeltaProxyObserver;
  /** `performance.now()` of the latest response to any proxy. */
  readonly lastResponseAtMs: number;
  /** From now on, the next LDS response of each proxy counts as the change. */
  armChange(): void;
  /** When proxy `i` ACKed the change; undefined until it did. */
  changeAckedAtMs(i: number): number | undefined;
  /** Whether proxy `i`'s change response carried its inbound listener (where RBAC lives). */
  changeHitInbound(i: number): boolean;
}

/** Creates the watch for proxies known by node id (`indexOf`), `inboundName(i)` naming proxy i's inbound listener. */
export function createFleetWatch(indexOf: ReadonlyMap<string, number>, inboundName: (i: number) => string): FleetWatch {
  const nonce = new Map<number, string>();
  const ackedAt = new Map<number, number>();
  const hitInbound = new Set<number>();
  let armed = false;
  let lastResponseAtMs = performance.now();
  return {
    observer: {
      response(proxy, response, atMs) {
        lastResponseAtMs = atMs;
        if (!armed || response.typeUrl !== LISTENER_TYPE_URL) return;
        const i = indexOf.get(proxy.nodeId);
        if (i === undefined || nonce.has(i)) return;
        nonce.set(i, response.nonce);
        if (response.resources.some((r) => r.name === inboundName(i))) hitInbound.add(i);
      },
      ack(proxy, ack) {
        if (!armed || ack.typeUrl !== LISTENER_TYPE_URL) return;
        const i = indexOf.get(proxy.nodeId);
        if (i !== undefined && nonce.get(i) === ack.nonce && !ackedAt.has(i)) ackedAt.set(i, ack.atMs);
      },
    },
    get lastResponseAtMs() {
      return lastResponseAtMs;
    },
    armChange() {
      armed = true;
    },
    changeAckedAtMs: (i) => ackedAt.get(i),
    changeHitInbound: (i) => hitInbound.has(i) && ackedAt.has(i),
  };
}

/** When the proxy ACKed its first LDS (the CP sends LDS only after CDS, EDS and SDS are ACKed). */
export function configuredAt(proxy: DeltaProxy): number | undefined {
  if (proxy.progress(CLUSTER_TYPE_URL)?.firstAckAtMs === undefined) return undefined;
  return proxy.progress(LISTENER_TYPE_URL)?.firstAckAtMs;
}

/** Streams that ended before their proxy closed them, summed over the fleet by gRPC status name. */
export function endedEarlyByStatus(proxies: readonly DeltaProxy[]): Record<string, number> {
  const names = status as unknown as Record<number, string>;
  const byStatus: Record<string, number> = {};
  for (const proxy of proxies) {
    for (const [code, count] of proxy.failuresByCode) {
      const name = names[code] ?? String(code);
      byStatus[name] = (byStatus[name] ?? 0) + count;
    }
  }
  return byStatus;
}
