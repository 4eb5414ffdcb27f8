/**
 * Capped exponential backoff between connection attempts: `base × 2^failures`, at most `max`,
 * minus up to 10 % jitter so that zones cut off together (a global restart) do not all dial
 * back in the same millisecond. The 10 % keeps each delay above the previous uncapped one.
 */

/** The delay before attempt number `failures + 1`. */
export function reconnectDelayMs(failures: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(failures, 30));
  return Math.max(1, Math.round(exponential * (1 - 0.1 * random())));
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
