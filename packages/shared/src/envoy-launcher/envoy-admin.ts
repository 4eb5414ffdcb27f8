/** The few calls the runner makes to Envoy's admin API (always on loopback, plain HTTP). */
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';

/** Where Envoy's admin API listens. */
export interface EnvoyAdminAddress {
  readonly host: string;
  readonly port: number;
}

/** Parses what Envoy writes to `--admin-address-path`: `127.0.0.1:9901` or `[::1]:9901`. */
export function parseAdminAddress(text: string): EnvoyAdminAddress | undefined {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text.trim());
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const port = Number(match[2]);
  return port > 0 && port < 65536 ? { host: match[1], port } : undefined;
}

/** The address in Envoy's admin address file; `undefined` while Envoy has not written it. */
export async function readAdminAddress(path: string): Promise<EnvoyAdminAddress | undefined> {
  try {
    return parseAdminAddress(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Typed access to one Envoy's admin API. */
export interface EnvoyAdmin {
  readonly address: EnvoyAdminAddress;
  /** True when `GET /ready` answers 200 (Envoy is LIVE: initialized and serving). */
  isReady(): Promise<boolean>;
  /** `POST /drain_listeners?graceful`: discourage requests for `--drain-time-s`, then close listeners. */
  drainListeners(): Promise<void>;
  /** Open downstream connections on the proxy's listeners (admin connections excluded). */
  activeConnections(): Promise<number>;
}

function call(address: EnvoyAdminAddress, method: string, path: string, timeoutMs: number) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { host: address.host, port: address.port, method, path, agent: false, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`envoy admin ${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Sums `listener.<name>.downstream_cx_active` over the proxy's listeners. Per-worker copies and the
 * admin listener are skipped. (`server.total_connections` would be simpler but is only refreshed
 * on each stats flush, seconds late.)
 */
export function sumActiveConnections(statsText: string): number {
  let total = 0;
  for (const line of statsText.split('\n')) {
    const match = /^listener\.(.+)\.downstream_cx_active: (\d+)$/.exec(line.trim());
    if (match?.[1] === undefined || match[2] === undefined) continue;
    if (match[1] === 'admin' || match[1].startsWith('admin.') || /\.worker_\d+$/.test(match[1])) continue;
    total += Number(match[2]);
  }
  return total;
}

/** Creates an admin client; each call fails after `timeoutMs` (default 2000). */
export function createEnvoyAdmin(address: EnvoyAdminAddress, timeoutMs = 2_000): EnvoyAdmin {
  return {
    address,
    async isReady() {
      return (await call(address, 'GET', '/ready', timeoutMs)).status === 200;
    },
    async drainListeners() {
      const res = await call(address, 'POST', '/drain_listeners?graceful', timeoutMs);
      if (res.status !== 200)
        throw new Error(`envoy admin /drain_listeners answered ${res.status}: ${res.body.trim()}`);
    },
    async activeConnections() {
      const res = await call(address, 'GET', '/stats?filter=downstream_cx_active$', timeoutMs);
      if (res.status !== 200) throw new Error(`envoy admin /stats answered ${res.status}`);
      return sumActiveConnections(res.body);
    },
  };
}
