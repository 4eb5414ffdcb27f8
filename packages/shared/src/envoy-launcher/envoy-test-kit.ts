/**
 * Test support for the launcher's own tests (not exported): a free port, a static Envoy
 * bootstrap with one listener that answers directly, and plain HTTP requests.
 */
import { get } from 'node:http';
import { createServer } from 'node:net';
import { resolveEnvoyBinary } from './resolve-envoy-binary.js';

/** The Envoy the tests run: `ENVOY_BIN`, `PATH`, else what `scripts/install-envoy.sh` provides. */
export function testEnvoyBinary(): Promise<string> {
  return resolveEnvoyBinary({ allowInstallScript: true });
}

/** A free loopback TCP port (asked of the kernel, then released for the caller to bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A bootstrap (proto3 JSON, as the control plane sends it) with admin on loopback port 0 and one
 * listener on `listenerPort` whose every HTTP request is answered 200 with `body`.
 */
export function staticBootstrap(options: { nodeId: string; listenerPort: number; body: string }) {
  return {
    node: { id: options.nodeId, cluster: 'strait-test' },
    admin: { address: { socketAddress: { address: '127.0.0.1', portValue: 0 } } },
    staticResources: {
      listeners: [
        {
          name: 'direct',
          address: { socketAddress: { address: '127.0.0.1', portValue: options.listenerPort } },
          filterChains: [
            {
              filters: [
                {
                  name: 'envoy.filters.network.http_connection_manager',
                  typedConfig: {
                    '@type':
                      'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
                    statPrefix: 'direct',
                    routeConfig: {
                      virtualHosts: [
                        {
                          name: 'all',
                          domains: ['*'],
                          routes: [
                            {
                              match: { prefix: '/' },
                              directResponse: { status: 200, body: { inlineString: options.body } },
                            },
                          ],
                        },
                      ],
                    },
                    httpFilters: [
                      {
                        name: 'envoy.filters.http.router',
                        typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    },
  };
}

/** GET http://127.0.0.1:port/ on a fresh connection; resolves with the body of a 200, rejects otherwise. */
export function httpGet(port: number, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) resolve(body);
        else reject(new Error(`HTTP ${res.statusCode}: ${body}`));
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
  });
}

/** True while a process with this pid exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
