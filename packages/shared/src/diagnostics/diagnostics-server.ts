import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { processMetrics } from './process-metrics.js';

/** Options of {@link createDiagnosticsServer}. */
export interface DiagnosticsOptions {
  readonly host: string;
  readonly port: number;
  /**
   * Metrics registry whose content `/metrics` serves (followed by {@link processMetrics});
   * default a fresh one with Node's process metrics.
   */
  readonly metrics?: Registry;
}

/** `/ready`, `/healthy` and `/metrics` of one process. */
export interface DiagnosticsServer {
  /** The server's own registry (components of the process count in {@link processMetrics}). */
  readonly metrics: Registry;
  /** From now on `/ready` answers 200. */
  setReady(ready: boolean): void;
  listen(): Promise<number>;
  close(): Promise<void>;
}

/** Creates the diagnostics HTTP server (`/ready` is 503 until {@link DiagnosticsServer.setReady}). */
export function createDiagnosticsServer(options: DiagnosticsOptions): DiagnosticsServer {
  let metrics = options.metrics;
  if (metrics === undefined) {
    metrics = new Registry();
    collectDefaultMetrics({ register: metrics });
  }
  const registry = metrics;
  let ready = false;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthy') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/ready') {
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'not ready\n');
    } else if (path === '/metrics') {
      Promise.all([registry.metrics(), processMetrics.metrics()]).then(
        (texts) => res.writeHead(200, { 'content-type': registry.contentType }).end(texts.join('\n')),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  return {
    metrics: registry,
    setReady(value) {
      ready = value;
    },
    listen() {
      return new Promise((resolveListen, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          resolveListen((server.address() as AddressInfo).port);
        });
      });
    },
    close() {
      return new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      });
    },
  };
}
