/** One JSON POST to the zone control plane over HTTPS, verified against a CA bundle or the system trust store. */
import { request } from 'node:https';

/** Largest response body accepted from the control plane. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** Options of {@link postJson}. */
export interface PostJsonOptions {
  readonly url: URL;
  readonly body: unknown;
  /** PEM CA bundle the server certificate must chain to; the system trust store when unset. */
  readonly caPem?: string;
  /** Limit for the whole exchange (connect, TLS, response). */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** An HTTP response of the control plane, whatever its status. */
export interface CpResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Raised when the request took longer than `timeoutMs`. */
export class RequestTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/**
 * POSTs `body` as JSON and resolves with the response (any status). Rejects with the Node
 * network/TLS error (its `code` says which), a {@link RequestTimeoutError}, or the abort reason.
 */
export function postJson(options: PostJsonOptions): Promise<CpResponse> {
  const payload = Buffer.from(JSON.stringify(options.body));
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  return new Promise((resolve, reject) => {
    const fail = (err: unknown): void => {
      if (timeout.aborted && options.signal?.aborted !== true) reject(new RequestTimeoutError(options.timeoutMs));
      else if (options.signal?.aborted === true) reject(options.signal.reason);
      else reject(err);
    };
    const req = request(
      options.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, application/problem+json',
          'content-length': payload.length,
        },
        ...(options.caPem === undefined ? {} : { ca: options.caPem }),
        agent: false,
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) res.destroy(new Error(`response larger than ${MAX_RESPONSE_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}
