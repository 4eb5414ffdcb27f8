import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './wait-for.js';

/** What the test app answers: who it is and what its sidecar told it about the caller. */
export interface AppAnswer {
  readonly service: string;
  readonly instance: string;
  /** `x-forwarded-client-cert` as the app's sidecar set it (the caller's identity under mTLS). */
  readonly xfcc?: string;
}

/** A plain Node HTTP service on loopback, standing in for an application. */
export interface HttpApp {
  readonly port: number;
  readonly requests: number;
  close(): Promise<void>;
}

/** Starts an app that answers every request with an {@link AppAnswer}, on `host` (loopback by default). */
export async function startHttpApp(service: string, instance: string, host = '127.0.0.1'): Promise<HttpApp> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    const xfcc = req.headers['x-forwarded-client-cert'];
    const answer: AppAnswer = { service, instance, ...(typeof xfcc === 'string' ? { xfcc } : {}) };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Result of one call through a sidecar: the answer, or the failure (status or network error). */
export type CallResult =
  | { readonly ok: true; readonly answer: AppAnswer }
  | { readonly ok: false; readonly status?: number; readonly error?: string };

/** GETs `url` with a short timeout and never throws. */
export async function call(url: string, timeoutMs = 2_000): Promise<CallResult> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    if (res.status !== 200) return { ok: false, status: res.status };
    return { ok: true, answer: JSON.parse(text) as AppAnswer };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** Calls `url` until `accept` takes the result (each poll is one real request); resolves with that result. */
export function callUntil(
  url: string,
  accept: (r: CallResult) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<CallResult> {
  return waitFor(
    async () => {
      const r = await call(url, 1_000);
      return accept(r) ? r : undefined;
    },
    { timeoutMs, what, intervalMs: 100 },
  );
}
