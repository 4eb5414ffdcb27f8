/** A JSON call to the zone control plane with bounded retries for what may heal (network errors, 5xx). */
import { setTimeout as sleep } from 'node:timers/promises';
import { StraitError } from '../errors/strait-error.js';
import type { Logger } from '../logging/logger.js';
import { backoffDelayMs } from './backoff.js';
import { errorFromNetwork, errorFromResponse, isTlsVerifyError } from './cp-errors.js';
import { type CpResponse, postJson } from './cp-request.js';

/** Connection and retry settings of every call to the zone control plane. */
export interface CpClientOptions {
  /** `https://host:port` of the zone CP's bootstrap server (see `parseCpAddress`). */
  readonly cpAddress: URL;
  /** PEM CA bundle for the CP's certificate (`--ca-cert-file`); the system trust store when unset. */
  readonly caCertPem?: string;
  /** Limit per attempt; default 10000. */
  readonly requestTimeoutMs?: number;
  /** Attempts before giving up on network errors and 5xx (4xx is never retried); default 10. */
  readonly maxAttempts?: number;
  /** Delay before the first retry, doubled per retry; default 500. */
  readonly retryBackoffMs?: number;
  /** Cap of the retry delay; default 10000. */
  readonly maxRetryBackoffMs?: number;
  /** Randomised fraction of each delay; default 0.2. */
  readonly retryJitter?: number;
  /** Each failed attempt is logged here (warn). */
  readonly logger: Logger;
  /** Aborts the call, including a wait between attempts. */
  readonly signal?: AbortSignal;
}

/** One call: what it is for (in messages), the path and the JSON body. */
export interface CpCall {
  readonly what: string;
  readonly path: string;
  readonly body: unknown;
}

/**
 * POSTs `call.body` to `call.path` and resolves with the parsed JSON of a 2xx answer. Network
 * errors and 5xx are retried with capped exponential backoff (each attempt logged) up to
 * `maxAttempts`; 4xx and TLS verification failures fail at once. Errors are `StraitError`s.
 */
export async function callCp(options: CpClientOptions, call: CpCall): Promise<unknown> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 10);
  const url = new URL(call.path, options.cpAddress);
  const address = options.cpAddress.origin;
  for (let attempt = 1; ; attempt++) {
    let failure: StraitError;
    try {
      const res = await postJson({
        url,
        body: call.body,
        timeoutMs: options.requestTimeoutMs ?? 10_000,
        ...(options.caCertPem === undefined ? {} : { caPem: options.caCertPem }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      if (res.status >= 200 && res.status < 300) return parseJson(call.what, res);
      failure = errorFromResponse(call.what, res);
      if (res.status < 500) throw failure;
    } catch (err) {
      if (err instanceof StraitError) throw err;
      if (options.signal?.aborted === true) throw err;
      failure = errorFromNetwork(call.what, address, err);
      if (isTlsVerifyError(err)) throw failure;
    }
    if (attempt >= maxAttempts) {
      throw new StraitError('Unavailable', `${failure.message} (gave up after ${attempt} attempts)`, {
        cause: failure,
      });
    }
    const delayMs = backoffDelayMs(attempt, {
      initialMs: options.retryBackoffMs ?? 500,
      maxMs: options.maxRetryBackoffMs ?? 10_000,
      ...(options.retryJitter === undefined ? {} : { jitter: options.retryJitter }),
    });
    options.logger.warn({ attempt, maxAttempts, delayMs, reason: failure.message }, `${call.what} failed: retrying`);
    await sleep(delayMs, undefined, options.signal === undefined ? {} : { signal: options.signal });
  }
}

function parseJson(what: string, res: CpResponse): unknown {
  try {
    return JSON.parse(res.body);
  } catch (err) {
    throw new StraitError('Internal', `${what}: the control plane answered ${res.status} with invalid JSON`, {
      cause: err,
    });
  }
}
