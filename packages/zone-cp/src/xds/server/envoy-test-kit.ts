/**
 * Test support for running a real Envoy against the ADS server (not exported): finding the
 * binary, writing a bootstrap that points ADS at the server, spawning and killing Envoy, plain
 * Node HTTP backends, and HTTP requests through Envoy's listener.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer as createHttpServer, get, type Server } from 'node:http';

// One place finds Envoy and free ports for every zone-cp test that runs a real Envoy.
export { envoyBinary, freePort } from '../generate/envoy-harness.js';

/** Writes a bootstrap: node id, LDS and CDS over ADS (SotW or delta), the ADS cluster over HTTP/2. */
export function writeBootstrap(
  path: string,
  options: { nodeId: string; adsPort: number; apiType: 'GRPC' | 'DELTA_GRPC' },
): void {
  const bootstrap = {
    node: { id: options.nodeId, cluster: 'strait-test' },
    dynamic_resources: {
      ads_config: {
        api_type: options.apiType,
        transport_api_version: 'V3',
        grpc_services: [{ envoy_grpc: { cluster_name: 'xds_cluster' } }],
        set_node_on_first_message_only: true,
      },
      cds_config: { ads: {}, resource_api_version: 'V3' },
      lds_config: { ads: {}, resource_api_version: 'V3' },
    },
    static_resources: {
      clusters: [
        {
          name: 'xds_cluster',
          type: 'STATIC',
          connect_timeout: '1s',
          typed_extension_protocol_options: {
            'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
              '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
              explicit_http_config: { http2_protocol_options: {} },
            },
          },
          load_assignment: {
            cluster_name: 'xds_cluster',
            endpoints: [
              {
                lb_endpoints: [
                  { endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: options.adsPort } } } },
                ],
              },
            ],
          },
        },
      ],
    },
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: 0 } } },
  };
  // JSON is YAML: Envoy reads it by the extension.
  writeFileSync(path, JSON.stringify(bootstrap, null, 2));
}

/** A running Envoy and what it printed so far (for failure messages). */
export interface EnvoyProcess {
  readonly child: ChildProcess;
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within the grace. */
  kill(): Promise<void>;
}

/** Starts Envoy with the bootstrap at `configPath`. */
export function startEnvoy(binary: string, configPath: string, adminAddressPath: string): EnvoyProcess {
  const child = spawn(
    binary,
    [
      '-c',
      configPath,
      '-l',
      'warning',
      '--disable-hot-restart',
      '--use-dynamic-base-id',
      '--admin-address-path',
      adminAddressPath,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    child,
    output: () => output,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A plain HTTP server on a free loopback port answering every request with `body`. */
export async function startBackend(body: string): Promise<{ server: Server; port: number }> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { server, port };
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
