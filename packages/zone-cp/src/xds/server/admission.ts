/**
 * Admission control for new streams: a token bucket with a bounded wait queue. When a zone CP
 * restarts, every proxy reconnects at once; authenticating and serving the first full config to
 * all of them in the same second would starve the event loop (and the REST API with it). Streams
 * beyond the rate wait their turn; beyond the queue they are refused, and Envoy retries with
 * backoff. One timer for the whole queue, armed only while someone waits.
 */

import { StraitError } from '@strait/shared';

/** Options of {@link createAdmission}. */
export interface AdmissionOptions {
  /** Sustained admissions per second; also the burst size. */
  readonly perSecond: number;
  /** Waiters allowed; one more is refused at once. */
  readonly maxQueued: number;
  /** Clock in ms (tests). */
  readonly now?: () => number;
}

/** Rate-limited admission. */
export interface Admission {
  /**
   * Resolves when the caller may proceed. Rejects with `StraitError` Unavailable when the queue
   * is full or admission is closed; with the signal's reason when `signal` aborts first.
   */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Refuses every waiter and every later caller. */
  close(): void;
  /** Callers waiting now. */
  readonly queued: number;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/** Creates an {@link Admission}. */
export function createAdmission(options: AdmissionOptions): Admission {
  const now = options.now ?? (() => performance.now());
  const capacity = Math.max(1, options.perSecond);
  const msPerToken = 1_000 / options.perSecond;
  let tokens = capacity;
  let refilledAt = now();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const queue: Waiter[] = [];

  function refill(): void {
    const at = now();
    tokens = Math.min(capacity, tokens + (at - refilledAt) / msPerToken);
    refilledAt = at;
  }

  function forget(waiter: Waiter): void {
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }

  function release(): void {
    timer = undefined;
    refill();
    while (queue.length > 0 && tokens >= 1) {
      tokens -= 1;
      const waiter = queue.shift() as Waiter;
      forget(waiter);
      waiter.resolve();
    }
    arm();
  }

  function arm(): void {
    if (timer !== undefined || queue.length === 0) return;
    const waitMs = Math.max(1, Math.ceil((1 - tokens) * msPerToken));
    timer = setTimeout(release, waitMs);
  }

  return {
    acquire(signal) {
      if (closed) return Promise.reject(new StraitError('Unavailable', 'admission is closed'));
      if (signal?.aborted) return Promise.reject(signal.reason);
      refill();
      if (queue.length === 0 && tokens >= 1) {
        tokens -= 1;
        return Promise.resolve();
      }
      if (queue.length >= options.maxQueued) {
        return Promise.reject(new StraitError('Unavailable', 'too many streams waiting to open; retry later'));
      }
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          resolve,
          reject,
          signal,
          onAbort: () => {
            const at = queue.indexOf(waiter);
            if (at >= 0) queue.splice(at, 1);
            reject(signal?.reason);
          },
        };
        signal?.addEventListener('abort', waiter.onAbort, { once: true });
        queue.push(waiter);
        arm();
      });
    },
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      for (const waiter of queue.splice(0)) {
        forget(waiter);
        waiter.reject(new StraitError('Unavailable', 'admission is closed'));
      }
    },
    get queued() {
      return queue.length;
    },
  };
}
