import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { Logger } from '@strait/shared';

/** Options of {@link createXdsPortServer}. */
export interface XdsPortServerOptions {
  readonly host: string;
  readonly port: number;
  /** The certificate the CP presents (PEM). */
  readonly certPem: string;
  readonly keyPem: string;
  /** Takes HTTP/2 connections (gRPC: ADS). */
  readonly grpc: { injectConnection(socket: TLSSocket): void };
  /** Serves HTTP/1.1 requests (the bootstrap endpoint). */
  readonly http: (req: IncomingMessage, res: ServerResponse) => void;
  readonly logger: Logger;
}

/** The zone CP's xDS port: one TLS listener for ADS (gRPC) and the bootstrap endpoint (HTTPS). */
export interface XdsPortServer {
  listen(): Promise<number>;
  close(): Promise<void>;
}

/**
 * One port, two protocols, dispatched on the ALPN the client negotiated: `h2` goes to the gRPC
 * server (Envoy's ADS cluster asks for h2), anything else (HTTP/1.1 clients such as
 * `strait dp run` fetching its bootstrap) to the HTTP handler. TLS ends here, once.
 */
export function createXdsPortServer(options: XdsPortServerOptions): XdsPortServer {
  const log = options.logger.child({ component: 'xds-port' });
  const http = createHttpServer(options.http);
  http.keepAliveTimeout = 5_000;
  const tls = createTlsServer(
    { cert: options.certPem, key: options.keyPem, ALPNProtocols: ['h2', 'http/1.1'] },
    (socket: TLSSocket) => {
      if (socket.alpnProtocol === 'h2') options.grpc.injectConnection(socket);
      else http.emit('connection', socket);
    },
  );
  tls.on('tlsClientError', (err) => log.debug({ err: err.message }, 'TLS handshake failed'));
  return {
    listen() {
      return new Promise((resolve, reject) => {
        tls.once('error', reject);
        tls.listen(options.port, options.host, () => {
          tls.off('error', reject);
          resolve((tls.address() as AddressInfo).port);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        http.closeAllConnections();
        tls.close(() => resolve());
        http.close();
      });
    },
  };
}
