import type { FastifyInstance } from 'fastify';

/** The Kuma version whose API Strait follows. */
export const BASED_ON_KUMA = '2.14.3';

/** Kuma's `Index` document (plus `tagline`, which older Kuma clients read). */
export interface IndexBody {
  readonly hostname: string;
  readonly product: string;
  readonly tagline: string;
  readonly version: string;
  readonly instanceId: string;
  readonly clusterId: string;
  readonly gui: string;
  readonly basedOnKuma: string;
}

/** Registers `/`, public like Kuma's; the body is built once. */
export function registerIndexRoute(
  app: FastifyInstance,
  identity: Omit<IndexBody, 'product' | 'tagline' | 'basedOnKuma'>,
): void {
  const body: IndexBody = Object.freeze({
    hostname: identity.hostname,
    product: 'Strait',
    tagline: 'Strait',
    version: identity.version,
    instanceId: identity.instanceId,
    clusterId: identity.clusterId,
    gui: identity.gui,
    basedOnKuma: BASED_ON_KUMA,
  });
  app.get('/', { config: { strait: { public: true } } }, async () => body);
}
