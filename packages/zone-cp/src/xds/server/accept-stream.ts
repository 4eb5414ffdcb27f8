/**
 * Turns a freshly opened ADS call into an authenticated stream: admission (rate limit), the first
 * request (which carries the node), `authenticate`, then replacement of any older stream of the
 * same proxy. Requests that arrive meanwhile are buffered and replayed in order.
 */

import type { ServerDuplexStream } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import type { Node } from '@strait/proto/envoy';
import type { Logger } from '@strait/shared';
import type { Admission } from './admission.js';
import type { AdsProtocol, ResolvedAdsServerOptions } from './ads-server-options.js';
import { type AdsStream, createAdsStream, type StreamProtocol } from './ads-stream.js';

/** A client may not pile up more requests than this before it is authenticated. */
const MAX_BUFFERED_REQUESTS = 64;

/** What {@link acceptStream} needs from the server. */
export interface AcceptContext {
  readonly options: ResolvedAdsServerOptions;
  readonly log: Logger;
  readonly admission: Admission;
  /** Live streams by proxy id. */
  readonly streams: Map<string, AdsStream>;
  /** Calls not yet authenticated (so `stop()` can refuse them). */
  readonly opening: Set<ServerDuplexStream<unknown, unknown>>;
  /** True once the server is stopping. */
  stopping(): boolean;
  nextStreamId(): number;
}

/** The first request of either flavour: both carry the node. */
interface WithNode {
  readonly node?: Node | undefined;
}

/** Ends a call that never became a stream, with a status. */
export function refuse(call: ServerDuplexStream<unknown, unknown>, code: status, details: string): void {
  if (call.cancelled || call.writableEnded) return;
  call.emit('error', { code, details });
}

/** Admits, authenticates and registers one call; see the file comment. */
export async function acceptStream<Req extends WithNode, Res>(
  context: AcceptContext,
  call: ServerDuplexStream<Req, Res>,
  protocolName: AdsProtocol,
  protocol: StreamProtocol<Req, Res>,
): Promise<void> {
  const anyCall = call as ServerDuplexStream<unknown, unknown>;
  if (context.stopping()) return refuse(anyCall, status.UNAVAILABLE, 'control plane is shutting down');

  const gone = new AbortController();
  const buffered: Req[] = [];
  let stream: AdsStream | undefined;
  let firstArrived: () => void = () => {};
  const first = new Promise<void>((resolve) => {
    firstArrived = resolve;
  });
  call.on('data', (request: Req) => {
    if (stream !== undefined) return stream.handleRequest(request);
    if (buffered.length >= MAX_BUFFERED_REQUESTS) {
      return refuse(anyCall, status.RESOURCE_EXHAUSTED, 'too many requests before authentication');
    }
    buffered.push(request);
    firstArrived();
  });
  const onGone = () => gone.abort(new Error('call ended before it was authenticated'));
  // Cancelled by the client, half-closed before authenticating, or refused by us (stop()).
  const goneEvents = ['cancelled', 'close', 'end', 'finish'] as const;
  for (const event of goneEvents) call.once(event, onGone);

  context.opening.add(anyCall);
  try {
    try {
      await context.admission.acquire(gone.signal);
    } catch {
      if (!gone.signal.aborted) refuse(anyCall, status.UNAVAILABLE, 'too many streams opening; retry later');
      return;
    }
    await Promise.race([first, aborted(gone.signal)]);
    if (gone.signal.aborted) return;

    const node = buffered[0]?.node;
    if (node === undefined || node.id === '') {
      return refuse(anyCall, status.INVALID_ARGUMENT, 'the first request must carry node.id');
    }
    let proxyId: string;
    try {
      const identity = await context.options.authenticate(node, call.metadata);
      proxyId = identity.proxyId;
      if (typeof proxyId !== 'string' || proxyId === '') throw new Error('authenticate returned no proxyId');
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      context.log.warn({ nodeId: node.id, protocol: protocolName, reason }, 'stream authentication failed');
      return refuse(anyCall, status.UNAUTHENTICATED, reason);
    }
    if (gone.signal.aborted) return;
    if (context.stopping()) return refuse(anyCall, status.UNAVAILABLE, 'control plane is shutting down');

    // One stream per proxy: the newer one wins (the older is usually a connection Envoy gave up on).
    context.streams.get(proxyId)?.close(status.ABORTED, 'replaced by a newer stream from the same proxy');

    const streamId = context.nextStreamId();
    const info = Object.freeze({ streamId, node, protocol: protocolName, connectTime: new Date() });
    stream = createAdsStream({
      call,
      proxyId,
      info,
      cache: context.options.cache,
      observer: context.options.observer,
      log: context.log.child({ proxyId, streamId, protocol: protocolName }),
      protocol,
      onClosed: (closed) => {
        if (context.streams.get(closed.proxyId) === closed) context.streams.delete(closed.proxyId);
      },
    });
    context.streams.set(proxyId, stream);
    stream.start(buffered.splice(0));
  } finally {
    context.opening.delete(anyCall);
    for (const event of goneEvents) call.off(event, onGone);
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
