/**
 * What one ADS stream tracks per xDS type. Kept to a handful of fields (and, for delta, one
 * map of what the client holds) because a zone CP holds thousands of streams × ~5 types.
 */

/** Per-stream, per-type protocol state. */
export interface TypeState {
  readonly typeUrl: string;
  /** Subscribed to every resource of the type (LDS/CDS by default, or `*`). */
  wildcard: boolean;
  /** Explicitly subscribed resource names (besides any wildcard). */
  readonly names: Set<string>;
  /** Nonce of the response awaiting ACK/NACK; at most one per type. */
  pendingNonce: string | undefined;
  /** Version carried by the most recent response (the pending one while there is one). */
  sentVersion: string | undefined;
  /** Most recent nonce sent: requests carrying any other nonce are stale. */
  lastNonce: string | undefined;
  /** SotW: the version the client says it has applied (ACKed, or stated when it reconnected). */
  appliedVersion: string | undefined;
  /** The client asked for this type and has not had an answer yet; it gets one even if empty. */
  awaitingFirstResponse: boolean;
  /** Needs a look at the next pump (snapshot or subscription changed, or an ACK arrived). */
  dirty: boolean;
  /** Delta: resource name → version the client holds (as far as this stream sent or was told). */
  readonly known: Map<string, string>;
}

/** A fresh state for a type the client just asked for. */
export function createTypeState(typeUrl: string): TypeState {
  return {
    typeUrl,
    wildcard: false,
    names: new Set(),
    pendingNonce: undefined,
    sentVersion: undefined,
    lastNonce: undefined,
    appliedVersion: undefined,
    awaitingFirstResponse: true,
    dirty: true,
    known: new Map(),
  };
}
