/** Options of {@link waitFor}. */
export interface WaitOptions {
  readonly timeoutMs: number;
  /** Poll interval; default 100 ms. */
  readonly intervalMs?: number;
  /** Said in the error when the deadline passes. */
  readonly what: string;
  /** Called on every poll (progress output). */
  readonly onPoll?: () => void;
}

/**
 * Polls `check` until it returns something other than undefined/false, or throws once the
 * deadline passes. (A copy of the e2e harness's helper: bench does not depend on e2e.)
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    options.onPoll?.();
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
