/** Capped exponential backoff, shared by control-plane retries and Envoy restarts. */

/** Options of {@link backoffDelayMs}. */
export interface BackoffOptions {
  /** Delay before the first retry. */
  readonly initialMs: number;
  /** Upper bound of any delay. */
  readonly maxMs: number;
  /**
   * Fraction of the delay to randomise (0..1): many proxies restarted together must not retry
   * in lockstep. Default 0.2 (±20%); 0 makes the delay exact (tests).
   */
  readonly jitter?: number;
}

/** The delay before retry number `retry` (1-based): `initialMs · 2^(retry-1)`, capped, jittered. */
export function backoffDelayMs(retry: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(retry - 1, 30));
  const base = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  const jitter = options.jitter ?? 0.2;
  const factor = 1 - jitter + 2 * jitter * random();
  return Math.max(0, Math.round(Math.min(options.maxMs, base * factor)));
}
