/**
 * The few REST calls a benchmark makes to a CP (as a loopback caller, which is an admin).
 * Failures throw with the status and body, so a broken setup says why.
 */

/** A CP's REST API at `baseUrl`. */
export interface RestClient {
  /** PUTs a resource (Kuma universal JSON) at `path`. */
  put(path: string, body: unknown): Promise<void>;
  /** GETs JSON; undefined on 404. */
  get<T>(path: string): Promise<T | undefined>;
  /** POSTs JSON and returns the text answer (e.g. a token). */
  postText(path: string, body: unknown): Promise<string>;
}

async function failure(method: string, path: string, response: Response): Promise<Error> {
  const text = await response.text().catch(() => '');
  return new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
}

/** Creates a {@link RestClient}. */
export function createRestClient(baseUrl: string): RestClient {
  const json = { 'content-type': 'application/json' };
  return {
    async put(path, body) {
      const response = await fetch(`${baseUrl}${path}`, { method: 'PUT', headers: json, body: JSON.stringify(body) });
      if (!response.ok) throw await failure('PUT', path, response);
      await response.arrayBuffer();
    },
    async get<T>(path: string) {
      const response = await fetch(`${baseUrl}${path}`);
      if (response.status === 404) {
        await response.arrayBuffer();
        return undefined;
      }
      if (!response.ok) throw await failure('GET', path, response);
      return (await response.json()) as T;
    },
    async postText(path, body) {
      const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) });
      if (!response.ok) throw await failure('POST', path, response);
      return (await response.text()).trim();
    },
  };
}
