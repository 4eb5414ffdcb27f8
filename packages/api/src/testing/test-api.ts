/**
 * Test support (not exported from the package): a real API server on a free port with the
 * memory store and the built-in registry, and a small HTTP client for it.
 */
import {
  builtinRegistry,
  createMemoryStore,
  type ResourceRegistry,
  type ResourceStore,
  silentLogger,
} from '@strait/shared';
import { type ApiServer, createApiServer } from '../server/api-server.js';
import type { ApiServerOptions } from '../server/api-server-options.js';

/** A response, body parsed when JSON. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  readonly body: any;
}

/** Options of one request. */
export interface TestRequestOptions {
  /** Sent as JSON unless `yaml` (a string body is sent as is). */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A running test server. */
export interface TestApi {
  readonly api: ApiServer;
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  request(method: string, pathOrUrl: string, options?: TestRequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

/** Starts a server on port 0; `overrides` replace the defaults (zone, standalone, localhost admin). */
export async function startTestApi(overrides: Partial<ApiServerOptions> = {}): Promise<TestApi> {
  const store = overrides.store ?? createMemoryStore();
  const registry = overrides.registry ?? builtinRegistry;
  const api = createApiServer({
    store,
    registry,
    logger: silentLogger(),
    mode: 'zone',
    instanceId: 'test-instance',
    clusterId: 'test-cluster',
    version: '0.0.0-test',
    hostname: 'test-host',
    ...overrides,
  });
  const { port } = await api.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    api,
    store,
    registry,
    baseUrl,
    async request(method, pathOrUrl, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      let body: string | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
        headers['content-type'] = options.contentType ?? 'application/json';
      }
      const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${baseUrl}${pathOrUrl}`;
      const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await res.text();
      const type = res.headers.get('content-type') ?? '';
      return {
        status: res.status,
        headers: res.headers,
        body: type.includes('json') && text !== '' ? JSON.parse(text) : text,
      };
    },
    async close() {
      await api.close();
      if (overrides.store === undefined) await store.close();
    },
  };
}
