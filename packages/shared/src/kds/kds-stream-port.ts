/**
 * The little a KDS session needs of a gRPC bidi stream, with one adapter for each side: the
 * global holds server calls, the zone client calls, and the same sessions run on both.
 */

import type { ClientDuplexStream, ServerDuplexStream } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from '@strait/proto/envoy';

/** grpc-js's `WriteFlags.NoCompress` (a const enum it does not export at runtime). */
const NO_COMPRESS = 2;

/**
 * Whether a KDS message is worth gzipping: only bulk does (resources, or the versions a
 * reconnecting receiver holds). ACKs, NACKs and heartbeats are a few hundred bytes, and zlib set
 * up per message cost the global about 16 % of its busy time gunzipping them.
 */
export function kdsMessageWorthCompressing(message: DeltaDiscoveryRequest | DeltaDiscoveryResponse): boolean {
  if ('resources' in message) return message.resources.length > 0 || message.removedResources.length > 64;
  return Object.keys(message.initialResourceVersions).length > 0 || message.resourceNamesSubscribe.length > 64;
}

/** How a stream ended. */
export interface KdsStreamEnd {
  /** gRPC status code (0 OK). */
  readonly code: number;
  readonly details: string;
  /** True when the peer (or the transport) ended it, false when this side closed it. */
  readonly byPeer: boolean;
}

/** One bidi stream: messages `In` arrive, messages `Out` are written. */
export interface KdsStreamPort<In, Out> {
  /** Writes a message; false when the transport's buffer is full (wait for `onDrain`). */
  write(message: Out): boolean;
  onMessage(listener: (message: In) => void): void;
  onDrain(listener: () => void): void;
  /** Called once, when the stream is over for whatever reason. */
  onEnd(listener: (end: KdsStreamEnd) => void): void;
  /**
   * Ends the stream. Server side: with OK when `code` is undefined, else with that status.
   * Client side: half-closes (the code is only reported locally), cancelling if the server does
   * not finish the call. Idempotent; `onEnd` listeners hear of it at once.
   */
  close(code?: number, details?: string): void;
}

/** Calls `listener` once with the first end reported. */
function once(): { report(end: KdsStreamEnd): void; listen(listener: (end: KdsStreamEnd) => void): void } {
  let ended: KdsStreamEnd | undefined;
  const listeners: ((end: KdsStreamEnd) => void)[] = [];
  return {
    report(end) {
      if (ended !== undefined) return;
      ended = end;
      for (const listener of listeners.splice(0)) listener(end);
    },
    listen(listener) {
      if (ended !== undefined) listener(ended);
      else listeners.push(listener);
    },
  };
}

/** Adapts a grpc-js server call (the global's side). */
export function serverStreamPort<In, Out>(call: ServerDuplexStream<In, Out>): KdsStreamPort<In, Out> {
  const end = once();
  let closedBy: { code: number; details: string } | undefined;
  call.on('cancelled', () => end.report({ code: status.CANCELLED, details: 'cancelled by the peer', byPeer: true }));
  call.on('end', () => {
    // The peer half-closed: nothing more will come; finish our side too.
    if (!call.writableEnded) call.end();
    end.report({ code: status.OK, details: 'ended by the peer', byPeer: true });
  });
  call.on('error', (err: { code?: number; details?: string; message?: string }) => {
    end.report({
      code: closedBy?.code ?? err.code ?? status.UNKNOWN,
      details: closedBy?.details ?? err.details ?? err.message ?? '',
      byPeer: closedBy === undefined,
    });
  });
  call.on('close', () =>
    end.report({
      code: closedBy?.code ?? status.OK,
      details: closedBy?.details ?? 'closed',
      byPeer: closedBy === undefined,
    }),
  );
  return {
    write: (message) => (call.writableEnded || call.destroyed ? true : call.write(message)),
    onMessage: (listener) => call.on('data', listener),
    onDrain: (listener) => call.on('drain', listener),
    onEnd: end.listen,
    close(code, details) {
      if (closedBy !== undefined) return;
      closedBy = { code: code ?? status.OK, details: details ?? '' };
      if (!call.cancelled && !call.writableEnded) {
        if (code === undefined) call.end();
        else call.emit('error', { code, details: details ?? '' });
      }
      end.report({ code: closedBy.code, details: closedBy.details, byPeer: false });
    },
  };
}

/**
 * Adapts a grpc-js client call (the zone's side). Messages `compress` says no to are sent
 * uncompressed even on a gzip channel (see {@link kdsMessageWorthCompressing}). Closing half-closes the call and lets the
 * server finish it; only a server that has not finished it after `cancelAfterMs` gets a
 * cancellation (RST_STREAM). Resetting streams with writes in flight is what Node's HTTP/2 layer
 * handles worst (Node 20 was seen spinning in `SendPendingData`), so the graceful path is the
 * normal one.
 */
export function clientStreamPort<In, Out>(
  call: ClientDuplexStream<Out, In>,
  cancelAfterMs = 1_000,
  compress: (message: Out) => boolean = () => true,
): KdsStreamPort<In, Out> {
  const end = once();
  let closedBy: { code: number; details: string } | undefined;
  let finished = false;
  let cancelTimer: NodeJS.Timeout | undefined;
  call.on('status', (s: { code: number; details: string }) => {
    finished = true;
    if (cancelTimer !== undefined) clearTimeout(cancelTimer);
    end.report({ code: s.code, details: s.details, byPeer: closedBy === undefined });
  });
  // grpc-js also emits non-OK statuses as errors; 'status' reports them.
  call.on('error', () => {});
  const write = (message: Out): boolean => (compress(message) ? call.write(message) : call.write(message, NO_COMPRESS));
  return {
    write: (message) => (call.writableEnded || call.destroyed ? true : write(message)),
    onMessage: (listener) => call.on('data', listener),
    onDrain: (listener) => call.on('drain', listener),
    onEnd: end.listen,
    close(code, details) {
      if (closedBy !== undefined) return;
      closedBy = { code: code ?? status.CANCELLED, details: details ?? 'closed by the zone' };
      if (!finished) {
        // A client cannot send a status: it half-closes, and cancels a server that does not answer.
        if (!call.writableEnded) call.end();
        cancelTimer = setTimeout(() => {
          if (!finished) call.cancel();
        }, cancelAfterMs);
        cancelTimer.unref();
      }
      end.report({ code: closedBy.code, details: closedBy.details, byPeer: false });
    },
  };
}
