/**
 * Turns a freshly opened KDS call into an authenticated zone session: messages that arrive
 * before `authenticate` resolves are held (a bounded number) and replayed to the session in
 * order; a rejection closes the call with UNAUTHENTICATED.
 */

import type { Metadata, ServerDuplexStream } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import {
  KDS_INSTANCE_HEADER,
  KDS_VERSION_HEADER,
  type KdsStreamPort,
  type Logger,
  serverStreamPort,
} from '@strait/shared';
import type { KdsZoneConnectionInfo } from './kds-server-options.js';
import type { KdsStreamKind } from './zone-connections.js';

/** A zone may not pile up more messages than this before it is authenticated. */
const MAX_BUFFERED_MESSAGES = 64;

/** What {@link acceptZoneStream} needs from the server. */
export interface AcceptZoneContext {
  readonly log: Logger;
  readonly authenticate: (metadata: Metadata) => Promise<{ readonly zone: string }>;
  /** True once the server is stopping. */
  stopping(): boolean;
}

/** Starts the session of an authenticated stream (and registers it). */
export type StartZoneSession<In, Out> = (
  zone: string,
  info: KdsZoneConnectionInfo,
  port: KdsStreamPort<In, Out>,
) => void;

/**
 * A port that holds incoming messages until the session registers its listener, then replays
 * them in order.
 */
function holdingPort<In, Out>(port: KdsStreamPort<In, Out>, onOverflow: () => void): KdsStreamPort<In, Out> {
  const held: In[] = [];
  let listener: ((message: In) => void) | undefined;
  port.onMessage((message) => {
    if (listener !== undefined) return listener(message);
    if (held.length >= MAX_BUFFERED_MESSAGES) return onOverflow();
    held.push(message);
  });
  return {
    ...port,
    onMessage(next) {
      listener = next;
      for (const message of held.splice(0)) next(message);
    },
  };
}

function firstValue(metadata: Metadata, key: string): string {
  const value = metadata.get(key)[0];
  return typeof value === 'string' ? value : '';
}

/** Authenticates and starts one zone stream; see the file comment. */
export async function acceptZoneStream<In, Out>(
  context: AcceptZoneContext,
  call: ServerDuplexStream<In, Out>,
  kind: KdsStreamKind,
  start: StartZoneSession<In, Out>,
): Promise<void> {
  const raw = serverStreamPort(call);
  if (context.stopping()) return raw.close(status.UNAVAILABLE, 'control plane is shutting down');
  let gone = false;
  raw.onEnd(() => {
    gone = true;
  });
  const port = holdingPort(raw, () => raw.close(status.RESOURCE_EXHAUSTED, 'too many messages before authentication'));
  const peer = call.getPeer();
  let zone: string;
  try {
    const identity = await context.authenticate(call.metadata);
    zone = identity.zone;
    if (typeof zone !== 'string' || zone === '') throw new Error('authenticate returned no zone');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    context.log.warn({ stream: kind, peer, reason }, 'KDS stream authentication failed');
    return raw.close(status.UNAUTHENTICATED, reason);
  }
  if (gone) return;
  if (context.stopping()) return raw.close(status.UNAVAILABLE, 'control plane is shutting down');
  const info: KdsZoneConnectionInfo = Object.freeze({
    instance: firstValue(call.metadata, KDS_INSTANCE_HEADER),
    version: firstValue(call.metadata, KDS_VERSION_HEADER),
    connectTime: new Date(),
    peer,
  });
  start(zone, info, port);
}
