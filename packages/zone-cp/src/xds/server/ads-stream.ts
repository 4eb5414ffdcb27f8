/**
 * The part of an ADS stream that SotW and delta share: per-type state, ACK/NACK bookkeeping,
 * and the pump that turns snapshot changes into responses — in type order, at most one
 * un-ACKed response per type, listeners and routes held back while clusters and endpoints are
 * un-ACKed, and no writes while gRPC reports backpressure. The protocol-specific halves
 * (`sotw-stream.ts`, `delta-stream.ts`) read requests into the state and build responses.
 *
 * Nothing here runs on a timer: a stream only works when its client sends a request, its
 * snapshot changes, or its connection drains.
 */

import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { Logger } from '@strait/shared';
import type { Snapshot, SnapshotCache } from '../cache/index.js';
import type { AdsErrorDetail, AdsObserver, AdsStreamInfo } from './ads-server-options.js';
import { createTypeState, type TypeState } from './stream-state.js';
import { compareTypeOrder, typeStage } from './type-order.js';

/** A response built by a protocol, with the version to report for it. */
export interface BuiltResponse<Res> {
  readonly message: Res;
  readonly version: string;
}

/** The protocol-specific half of a stream. */
export interface StreamProtocol<Req, Res> {
  /** Reads one request into the stream's state (via `stream.stateOf`, `stream.settle`). */
  applyRequest(stream: AdsStreamCore, request: Req): void;
  /**
   * The next response for one type given the current snapshot, or `undefined` when the client
   * is up to date. Updates the type's state as if the response were sent (it will be).
   */
  buildResponse(state: TypeState, snapshot: Snapshot, nonce: string): BuiltResponse<Res> | undefined;
}

/** What a protocol may use of the stream while applying a request. */
export interface AdsStreamCore {
  readonly proxyId: string;
  readonly log: Logger;
  /** The state of a type, created (and marked `created`) on the client's first request for it. */
  stateOf(typeUrl: string): { readonly state: TypeState; readonly created: boolean };
  /**
   * Matches a request's nonce against the type's outstanding response. Returns `stale` when it
   * names an older response (the request must then be ignored: the client has not seen the
   * newest response yet), `ack`/`nack` when it answers the outstanding one, `none` otherwise.
   */
  settle(state: TypeState, responseNonce: string, errorDetail: AdsErrorDetail | undefined): Settlement;
}

/** How a request relates to the type's responses; see {@link AdsStreamCore.settle}. */
export type Settlement = 'ack' | 'nack' | 'stale' | 'none';

/** A live stream, as the server sees it. */
export interface AdsStream {
  readonly proxyId: string;
  readonly info: AdsStreamInfo;
  /** Announces the stream, then handles `buffered` requests received before it was authenticated. */
  start(buffered: readonly unknown[]): void;
  handleRequest(request: unknown): void;
  /** Ends the stream: with OK when `code` is undefined, else with that gRPC status. Idempotent. */
  close(code?: number, details?: string): void;
}

/** Options of {@link createAdsStream}. */
export interface AdsStreamOptions<Req, Res> {
  readonly call: ServerDuplexStream<Req, Res>;
  readonly proxyId: string;
  readonly info: AdsStreamInfo;
  readonly cache: SnapshotCache;
  readonly observer: AdsObserver;
  readonly log: Logger;
  readonly protocol: StreamProtocol<Req, Res>;
  /** Called once when the stream has closed, for whatever reason. */
  readonly onClosed: (stream: AdsStream) => void;
}

/** Creates the shared machinery of one authenticated stream. */
export function createAdsStream<Req, Res>(options: AdsStreamOptions<Req, Res>): AdsStream {
  const { call, proxyId, info, cache, observer, log, protocol } = options;
  const states = new Map<string, TypeState>();
  /** States in push order (CDS, EDS, SDS, LDS, RDS, others). */
  const ordered: TypeState[] = [];
  let nonceSeq = 0;
  let pumpScheduled = false;
  let blocked = false;
  let closed = false;
  let unwatch: (() => void) | undefined;

  const notify = <K extends keyof AdsObserver>(name: K, ...args: Parameters<NonNullable<AdsObserver[K]>>) => {
    const callback = observer[name] as ((...a: typeof args) => void) | undefined;
    if (callback === undefined) return;
    try {
      callback.apply(observer, args);
    } catch (err) {
      log.error({ err, callback: name }, 'ADS observer callback failed');
    }
  };

  const core: AdsStreamCore = {
    proxyId,
    log,
    stateOf(typeUrl) {
      const found = states.get(typeUrl);
      if (found !== undefined) return { state: found, created: false };
      const state = createTypeState(typeUrl);
      states.set(typeUrl, state);
      ordered.push(state);
      ordered.sort((a, b) => compareTypeOrder(a.typeUrl, b.typeUrl));
      return { state, created: true };
    },
    settle(state, responseNonce, errorDetail) {
      if (state.lastNonce === undefined) return 'none';
      if (responseNonce !== state.lastNonce) return 'stale';
      if (state.pendingNonce === undefined) return 'none';
      state.pendingNonce = undefined;
      const version = state.sentVersion ?? '';
      if (errorDetail !== undefined) {
        log.warn({ typeUrl: state.typeUrl, version, code: errorDetail.code, error: errorDetail.message }, 'NACK');
        notify('onNack', proxyId, state.typeUrl, errorDetail, version);
        return 'nack';
      }
      log.debug({ typeUrl: state.typeUrl, version }, 'ACK');
      notify('onAck', proxyId, state.typeUrl, version);
      return 'ack';
    },
  };

  function schedulePump(): void {
    if (pumpScheduled || closed) return;
    pumpScheduled = true;
    queueMicrotask(pump);
  }

  /** Sends what each dirty type needs, in order, as far as ACKs, stages and backpressure allow. */
  function pump(): void {
    pumpScheduled = false;
    if (closed || blocked) return;
    const snapshot = cache.get(proxyId);
    // No config generated yet: stay dirty; the first `set` wakes the stream.
    if (snapshot === undefined) return;
    let blockingStage = Number.POSITIVE_INFINITY;
    for (const state of ordered) {
      if (state.pendingNonce !== undefined) blockingStage = Math.min(blockingStage, typeStage(state.typeUrl));
    }
    for (const state of ordered) {
      // A type with a response outstanding is looked at again when its ACK/NACK arrives.
      if (!state.dirty || state.pendingNonce !== undefined) continue;
      const stage = typeStage(state.typeUrl);
      if (stage > blockingStage) continue;
      state.dirty = false;
      const nonce = String(nonceSeq + 1);
      const built = protocol.buildResponse(state, snapshot, nonce);
      if (built === undefined) continue;
      nonceSeq += 1;
      state.pendingNonce = nonce;
      state.lastNonce = nonce;
      state.sentVersion = built.version;
      blockingStage = Math.min(blockingStage, stage);
      log.debug({ typeUrl: state.typeUrl, version: built.version, nonce }, 'response sent');
      notify('onResponseSent', proxyId, state.typeUrl, built.version, nonce);
      if (!call.write(built.message)) {
        // gRPC's buffer is full: write nothing more until the connection drains.
        blocked = true;
        call.once('drain', () => {
          blocked = false;
          schedulePump();
        });
        return;
      }
    }
  }

  function markAllDirty(): void {
    for (const state of ordered) state.dirty = true;
    schedulePump();
  }

  function finish(): void {
    if (unwatch === undefined) return;
    closed = true;
    unwatch();
    unwatch = undefined;
    options.onClosed(stream);
    log.info('stream closed');
    notify('onStreamClose', proxyId, info);
  }

  const stream: AdsStream = {
    proxyId,
    info,
    start(buffered) {
      // Every snapshot change may concern any type (a type can also vanish): re-evaluating a
      // type that did not change is a few comparisons and sends nothing.
      unwatch = cache.watch(proxyId, markAllDirty);
      call.on('end', () => stream.close());
      call.on('cancelled', finish);
      call.on('error', finish);
      call.on('finish', finish);
      call.on('close', finish);
      log.info('stream opened');
      notify('onStreamOpen', proxyId, info);
      for (const request of buffered) stream.handleRequest(request);
    },
    handleRequest(request) {
      if (closed) return;
      protocol.applyRequest(core, request as Req);
      schedulePump();
    },
    close(code, details) {
      if (closed) return;
      closed = true;
      if (code === undefined) call.end();
      else call.emit('error', { code, details: details ?? '' });
      finish();
    },
  };
  return stream;
}
