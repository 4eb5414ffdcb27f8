import type { ConnectRouter } from '@connectrpc/connect';
import { fastifyConnectPlugin } from '@connectrpc/connect-fastify';
import type { FastifyInstance } from 'fastify';

/**
 * Mounts Connect RPC services on the API server (same port, same auth hook). The plugin runs
 * in its own fastify context, so its content-type parsers do not replace the REST API's.
 * With no services it adds no routes: this is the mount point later services plug into.
 */
export function mountConnectRpc(app: FastifyInstance, routes: ((router: ConnectRouter) => void) | undefined): void {
  app.register(fastifyConnectPlugin, { routes: routes ?? (() => {}) });
}
