/** Waiting on a condition with a deadline instead of sleeping a fixed time. */
import { setTimeout as sleep } from 'node:timers/promises';

/** Options of {@link pollUntil}. */
export interface PollOptions {
  /** Give up (resolve `undefined`) after this long. */
  readonly timeoutMs: number;
  /** Time between checks; default 100. */
  readonly intervalMs?: number;
  /** Stops waiting early (the promise rejects with the abort reason). */
  readonly signal?: AbortSignal;
}

/**
 * Calls `check` until it returns something other than `undefined`, and resolves with it; resolves
 * `undefined` once `timeoutMs` has passed. An error thrown by `check` ends the wait with that
 * error: a check catches what only means "not yet".
 */
export async function pollUntil<T>(check: () => Promise<T | undefined>, options: PollOptions): Promise<T | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 100;
  for (;;) {
    options.signal?.throwIfAborted();
    const value = await check();
    if (value !== undefined) return value;
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    await sleep(Math.min(intervalMs, left), undefined, options.signal === undefined ? {} : { signal: options.signal });
  }
}
