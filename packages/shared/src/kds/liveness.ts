/**
 * Application-level liveness of one KDS stream (Kuma #16428, #13624: a stream can stall with
 * the TCP connection and HTTP/2 pings perfectly healthy, e.g. when the peer's event loop is
 * stuck or a proxy in between swallows messages). Each side sends a heartbeat every
 * `heartbeatIntervalMs` and calls the stream stalled when, for `heartbeatTimeoutMs`, nothing at
 * all arrived from the peer, or the peer did not read what we wrote (the transport buffer stayed
 * full).
 *
 * Heartbeats are ordinary delta messages with type_url {@link KDS_HEARTBEAT_TYPE_URL} and no
 * resources: a DeltaDiscoveryRequest from the side that sends requests on that stream, a
 * DeltaDiscoveryResponse (system_version_info = the sender's clock, RFC 3339) from the other.
 * They carry no nonce and are never ACKed; a peer that does not know them would NACK a response
 * heartbeat as an unknown type, which is harmless.
 */

/** type_url of heartbeat messages on both KDS streams. */
export const KDS_HEARTBEAT_TYPE_URL = 'strait.kds.v1.Heartbeat';

/** Options of {@link startLiveness}. */
export interface LivenessOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Writes one heartbeat. */
  readonly beat: () => void;
  /** Since when (ms) the transport buffer has been full, or undefined when it is not. */
  readonly blockedSinceMs: () => number | undefined;
  /** Called once, when the stream is found stalled. */
  readonly onStall: (reason: string) => void;
  /** Clock; default `Date.now`. */
  readonly nowMs?: () => number;
}

/** A running liveness check. */
export interface Liveness {
  /** Something arrived from the peer. */
  touch(): void;
  stop(): void;
}

/** Sends a first heartbeat now, then one per interval, and checks for stalls at each tick. */
export function startLiveness(options: LivenessOptions): Liveness {
  const nowMs = options.nowMs ?? Date.now;
  // Check more often than we beat when the timeout is short relative to the interval.
  const checkEveryMs = Math.min(options.intervalMs, Math.ceil(options.timeoutMs / 4));
  let lastHeardMs = nowMs();
  let lastBeatMs = nowMs();
  let lastTickMs = nowMs();
  let ownLagMs = 0;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    const now = nowMs();
    // Time this process itself did not run (a blocked event loop) is not the peer's silence:
    // its messages may be waiting in the socket, read only after this timer callback.
    const lag = Math.max(0, now - lastTickMs - checkEveryMs);
    lastTickMs = now;
    lastHeardMs += lag;
    ownLagMs += lag;
    const blockedSince = options.blockedSinceMs();
    if (now - lastHeardMs >= options.timeoutMs) {
      stop();
      options.onStall(`nothing received from the peer for ${now - lastHeardMs} ms`);
      return;
    }
    if (blockedSince !== undefined && now - blockedSince - ownLagMs >= options.timeoutMs) {
      stop();
      options.onStall(`the peer has not read for ${now - blockedSince} ms`);
      return;
    }
    if (blockedSince === undefined) ownLagMs = 0;
    // While the peer does not read, another message would only pile up.
    if (blockedSince === undefined && now - lastBeatMs >= options.intervalMs) {
      lastBeatMs = now;
      options.beat();
    }
  };
  const timer = setInterval(tick, checkEveryMs);
  timer.unref();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  options.beat();
  return {
    touch() {
      lastHeardMs = nowMs();
    },
    stop,
  };
}
