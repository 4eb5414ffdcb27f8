import { StraitError } from '@strait/shared';
import { errorFromResponse } from './api-error.js';
import { createHttpTransport, type HttpRequest, type HttpTransport, type TlsOptions } from './http-transport.js';
import { unreachableError } from './unreachable-error.js';

/** Query parameters; repeated keys are given as repeated pairs. */
export type QueryParams = readonly (readonly [string, string])[];

/** Options of {@link createApiClient}. */
export interface ApiClientOptions extends TlsOptions {
  /** Base URL of the control plane's REST API, e.g. `http://127.0.0.1:5681`. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer …`; never logged or printed. */
  readonly authToken?: string;
  /** Limit per request (one page of a list counts as one request). Default 60 000. */
  readonly requestTimeoutMs?: number;
  /** Replaces the network transport (tests). */
  readonly transport?: HttpTransport;
}

/** A decoded response: the HTTP status and the JSON body (undefined when empty). */
export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

/** A small REST client for a Strait (or Kuma) control plane. Non-2xx answers reject with a `StraitError`. */
export interface ApiClient {
  readonly baseUrl: string;
  /** GETs a JSON document. */
  get(path: string, query?: QueryParams): Promise<unknown>;
  /** PUTs a JSON body; resolves with the status (201 created, 200 updated) and the body. */
  put(path: string, body: unknown): Promise<ApiResponse>;
  /** POSTs a JSON body and resolves with the raw answer text (e.g. a token). */
  postText(path: string, body: unknown): Promise<string>;
  /** DELETEs a resource. */
  delete(path: string): Promise<void>;
  /** GETs a list and follows `next` until the last page; returns every item. */
  listAll(path: string, query?: QueryParams): Promise<unknown[]>;
}

/** Default limit per request. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** Upper bound on pages followed, against a server whose `next` never ends. */
const MAX_PAGES = 10_000;

/** Creates an {@link ApiClient}. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const transport = options.transport ?? createHttpTransport(options);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.authToken !== undefined && options.authToken !== '') {
    headers.authorization = `Bearer ${options.authToken}`;
  }

  const urlOf = (path: string, query: QueryParams = []): URL => {
    const url = new URL(path.replace(/^\/+/, ''), base);
    for (const [k, v] of query) url.searchParams.append(k, v);
    return url;
  };

  async function exchange(
    method: HttpRequest['method'],
    url: URL,
    body?: unknown,
  ): Promise<{ status: number; text: string }> {
    const req: HttpRequest =
      body === undefined
        ? { method, url, headers, timeoutMs }
        : {
            method,
            url,
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify(body),
            timeoutMs,
          };
    let res: Awaited<ReturnType<HttpTransport>>;
    try {
      res = await transport(req);
    } catch (err) {
      throw unreachableError(baseUrl, err, timeoutMs);
    }
    if (res.status < 200 || res.status > 299) {
      throw errorFromResponse(res.status, res.body, `${method} ${url.pathname}`);
    }
    return { status: res.status, text: res.body };
  }

  async function send(method: HttpRequest['method'], url: URL, body?: unknown): Promise<ApiResponse> {
    const { status, text } = await exchange(method, url, body);
    return { status, body: decodeBody(text, url) };
  }

  return Object.freeze({
    baseUrl,
    get: async (path: string, query?: QueryParams) => (await send('GET', urlOf(path, query))).body,
    put: (path: string, body: unknown) => send('PUT', urlOf(path), body),
    postText: async (path: string, body: unknown) => (await exchange('POST', urlOf(path), body)).text,
    delete: async (path: string) => {
      await send('DELETE', urlOf(path));
    },
    async listAll(path: string, query: QueryParams = []): Promise<unknown[]> {
      const items: unknown[] = [];
      let url = urlOf(path, query);
      for (let page = 0; page < MAX_PAGES; page++) {
        const body = (await send('GET', url)).body;
        const list = readListPage(body, url);
        items.push(...list.items);
        if (list.next === undefined || list.items.length === 0) return items;
        const nextUrl = nextPageUrl(url, list.next);
        if (nextUrl.href === url.href) return items;
        url = nextUrl;
      }
      return items;
    },
  });
}

function decodeBody(text: string, url: URL): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new StraitError('Internal', `GET ${url.pathname}: the control plane answered with a body that is not JSON`);
  }
}

/** A list page of Kuma's API: `{items, total, next}`. */
function readListPage(body: unknown, url: URL): { items: unknown[]; next?: string } {
  const page = (body ?? {}) as { items?: unknown; next?: unknown };
  if (!Array.isArray(page.items)) {
    throw new StraitError('Internal', `GET ${url.pathname}: expected a list ({items, total, next}) in the answer`);
  }
  return typeof page.next === 'string' && page.next !== ''
    ? { items: page.items, next: page.next }
    : { items: page.items };
}

/**
 * The next page, asked of the same base URL: `next` is often an absolute URL built from the
 * server's own idea of its host (wrong behind a proxy or port-forward), so only its query
 * parameters are taken, over those of the current page (filters the server left out stay).
 */
function nextPageUrl(current: URL, next: string): URL {
  const url = new URL(current.href);
  for (const [k, v] of new URL(next, current).searchParams) url.searchParams.set(k, v);
  return url;
}
