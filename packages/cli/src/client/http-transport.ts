import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** One HTTP exchange as the API client sees it. */
export interface HttpRequest {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The whole exchange (connect, send, read) must finish within this. */
  readonly timeoutMs: number;
}

/** The status and the full body text of a response. */
export interface HttpResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Sends one request. Network failures reject with the underlying error (its `code` is kept). */
export type HttpTransport = (req: HttpRequest) => Promise<HttpResponse>;

/** TLS settings for `https` control planes. */
export interface TlsOptions {
  /** PEM bundle the server certificate must chain to, instead of the system roots. */
  readonly caCertPem?: string;
  /** Accept any server certificate (self-signed development CPs). Said explicitly, never defaulted. */
  readonly skipVerify?: boolean;
}

/**
 * Picks the transport for the given TLS settings. Node 20's global `fetch` cannot take a CA
 * or skip verification, so those cases go through `node:https` with its own `Agent`; every
 * other request uses `fetch`.
 */
export function createHttpTransport(tls: TlsOptions = {}): HttpTransport {
  if (tls.caCertPem === undefined && tls.skipVerify !== true) return fetchTransport;
  const agent = new HttpsAgent({
    ...(tls.caCertPem === undefined ? {} : { ca: tls.caCertPem }),
    rejectUnauthorized: tls.skipVerify !== true,
  });
  return (req) => (req.url.protocol === 'https:' ? httpsTransport(agent, req) : fetchTransport(req));
}

async function fetchTransport(req: HttpRequest): Promise<HttpResponse> {
  const res = await fetch(req.url, {
    method: req.method,
    headers: req.headers,
    ...(req.body === undefined ? {} : { body: req.body }),
    signal: AbortSignal.timeout(req.timeoutMs),
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
}

function httpsTransport(agent: HttpsAgent, req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const err = new Error(`request timed out after ${req.timeoutMs}ms`);
      err.name = 'TimeoutError';
      outgoing.destroy(err);
    }, req.timeoutMs);
    const outgoing = httpsRequest(req.url, { method: req.method, headers: req.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    function fail(err: Error): void {
      clearTimeout(timer);
      reject(err);
    }
    outgoing.on('error', fail);
    outgoing.end(req.body);
  });
}
