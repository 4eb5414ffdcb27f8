/**
 * A KDS session: one stream with its sender or receiver, its heartbeats and stall detection,
 * and backpressure. The same two session kinds run on both control planes:
 *
 * | stream       | global                  | zone                    |
 * |--------------|-------------------------|-------------------------|
 * | GlobalToZone | sender (reads requests) | receiver (reads responses) |
 * | ZoneToGlobal | receiver                | sender                  |
 *
 * The global-cp's KDS server and the zone-cp's KDS client only add the networking around them
 * (authentication, reconnects, observers).
 */

import { create } from '@bufbuild/protobuf';
import { status } from '@grpc/grpc-js';
import {
  type DeltaDiscoveryRequest,
  DeltaDiscoveryRequestSchema,
  type DeltaDiscoveryResponse,
  DeltaDiscoveryResponseSchema,
} from '@strait/proto/envoy';
import type { Logger } from '../logging/logger.js';
import type { ResourceRegistry } from '../model/registry.js';
import type { ResourceStore } from '../store/store.js';
import { createDeltaReceiver } from './delta-receiver.js';
import { createDeltaSender } from './delta-sender.js';
import type { KdsFlowDirection, KdsReceiveFlow, KdsSendFlow } from './kds-flow.js';
import { countKdsStall } from './kds-metrics.js';
import type { KdsStreamEnd, KdsStreamPort } from './kds-stream-port.js';
import { emitKdsEvent, type KdsSyncEvents } from './kds-sync-events.js';
import type { ResolvedKdsSyncOptions } from './kds-sync-options.js';
import { KDS_HEARTBEAT_TYPE_URL, startLiveness } from './liveness.js';

/** What every session needs. */
export interface KdsSessionOptions {
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  readonly sync: ResolvedKdsSyncOptions;
  /** Already carries the stream's context (zone, stream name). */
  readonly log: Logger;
  readonly events?: KdsSyncEvents;
}

/** Options of {@link startSenderSession}. */
export interface SenderSessionOptions extends KdsSessionOptions {
  readonly flow: KdsSendFlow;
  /** When set, a request whose node.id differs closes the stream with PERMISSION_DENIED. */
  readonly expectedNodeId?: string;
}

/** Options of {@link startReceiverSession}. */
export interface ReceiverSessionOptions extends KdsSessionOptions {
  readonly flow: KdsReceiveFlow;
  /** node.id sent on the first request (the zone's name on GlobalToZone). */
  readonly nodeId?: string;
}

/** A running session. */
export interface KdsSession {
  /** Resolves once the stream is over, however it ended. */
  readonly done: Promise<KdsStreamEnd>;
  /** Ends the stream (see {@link KdsStreamPort.close}). */
  close(code?: number, details?: string): void;
}

/** The parts both session kinds share: writes with backpressure, heartbeats, stall, end. */
function startCore<In, Out>(
  port: KdsStreamPort<In, Out>,
  options: KdsSessionOptions,
  direction: KdsFlowDirection,
  heartbeat: () => Out,
  onDrain: () => void,
  onClose: () => void,
) {
  const { sync, log } = options;
  let blockedSinceMs: number | undefined;
  let ended = false;
  const write = (message: Out): boolean => {
    if (ended) return true;
    const ok = port.write(message);
    if (!ok && blockedSinceMs === undefined) blockedSinceMs = Date.now();
    return ok;
  };
  port.onDrain(() => {
    blockedSinceMs = undefined;
    onDrain();
  });
  const liveness = startLiveness({
    intervalMs: sync.heartbeatIntervalMs,
    timeoutMs: sync.heartbeatTimeoutMs,
    beat: () => write(heartbeat()),
    blockedSinceMs: () => blockedSinceMs,
    onStall: (reason) => {
      log.warn({ reason }, 'KDS stream stalled; closing it');
      countKdsStall(direction);
      port.close(status.UNAVAILABLE, `KDS stream stalled: ${reason}`);
    },
  });
  const done = new Promise<KdsStreamEnd>((resolve) => {
    port.onEnd((end) => {
      ended = true;
      liveness.stop();
      onClose();
      resolve(end);
    });
  });
  return { write, liveness, done };
}

function isHeartbeat(message: { readonly typeUrl: string }): boolean {
  return message.typeUrl === KDS_HEARTBEAT_TYPE_URL;
}

/** Runs the sending side of a stream: reads requests, writes responses. */
export function startSenderSession(
  port: KdsStreamPort<DeltaDiscoveryRequest, DeltaDiscoveryResponse>,
  options: SenderSessionOptions,
): KdsSession {
  const { log } = options;
  const events = options.events ?? {};
  let sender: ReturnType<typeof createDeltaSender> | undefined;
  const core = startCore(
    port,
    options,
    options.flow.direction,
    () =>
      create(DeltaDiscoveryResponseSchema, {
        typeUrl: KDS_HEARTBEAT_TYPE_URL,
        systemVersionInfo: new Date().toISOString(),
      }),
    () => sender?.resume(),
    () => sender?.close(),
  );
  sender = createDeltaSender({
    store: options.store,
    flow: options.flow,
    sync: options.sync,
    log,
    events,
    write: core.write,
  });
  port.onMessage((request) => {
    core.liveness.touch();
    if (isHeartbeat(request)) return emitKdsEvent(events, log, 'onHeartbeat', new Date());
    const nodeId = request.node?.id;
    if (
      options.expectedNodeId !== undefined &&
      nodeId !== undefined &&
      nodeId !== '' &&
      nodeId !== options.expectedNodeId
    ) {
      log.warn({ nodeId, expected: options.expectedNodeId }, 'KDS request names another node; closing the stream');
      return port.close(
        status.PERMISSION_DENIED,
        `node.id "${nodeId}" does not match the authenticated zone "${options.expectedNodeId}"`,
      );
    }
    sender?.handleRequest(request);
  });
  return { done: core.done, close: (code, details) => port.close(code, details) };
}

/** Runs the receiving side of a stream: subscribes, reads responses, writes ACKs/NACKs. */
export function startReceiverSession(
  port: KdsStreamPort<DeltaDiscoveryResponse, DeltaDiscoveryRequest>,
  options: ReceiverSessionOptions,
): KdsSession {
  const { log } = options;
  const events = options.events ?? {};
  let receiver: ReturnType<typeof createDeltaReceiver> | undefined;
  const core = startCore(
    port,
    options,
    options.flow.direction,
    () => create(DeltaDiscoveryRequestSchema, { typeUrl: KDS_HEARTBEAT_TYPE_URL }),
    () => {},
    () => receiver?.close(),
  );
  receiver = createDeltaReceiver({
    store: options.store,
    registry: options.registry,
    flow: options.flow,
    sync: options.sync,
    log,
    events,
    write: core.write,
    ...(options.nodeId === undefined ? {} : { node: { id: options.nodeId } }),
    onAbuse: (reason) => {
      log.warn({ reason }, 'KDS peer keeps sending refused responses; closing the stream');
      port.close(status.INVALID_ARGUMENT, reason);
    },
  });
  port.onMessage((response) => {
    core.liveness.touch();
    if (isHeartbeat(response)) return emitKdsEvent(events, log, 'onHeartbeat', new Date());
    receiver?.handleResponse(response);
  });
  receiver.start().catch((err: unknown) => {
    log.error({ err }, 'KDS receiver could not subscribe');
    port.close(status.INTERNAL, 'could not list the resources held');
  });
  return { done: core.done, close: (code, details) => port.close(code, details) };
}
