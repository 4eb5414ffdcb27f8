import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, problemFor } from '@strait/api';
import {
  checkProxyToken,
  isStraitError,
  type Logger,
  type ProxyTokenClaims,
  parseUniversal,
  type ResourceInput,
  type ResourceRegistry,
  type ResourceStore,
  StraitError,
  type TokenIssuer,
  toUniversal,
  type ZoneTokenClaims,
} from '@strait/shared';
import { verifyIngressToken } from '../ingress/ingress-token.js';
import { ingressZoneOf } from '../ingress/ingress-zone.js';
import { generateBootstrap } from './generate-bootstrap.js';
import { type ProxyType, proxyIdOf } from './proxy-id.js';

/** Options of {@link createBootstrapHandler}. */
export interface BootstrapHandlerOptions {
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  readonly tokens: TokenIssuer<ProxyTokenClaims>;
  /** Verifies the zone tokens zone ingresses register with (scope `ingress`, this zone). */
  readonly zoneTokens: TokenIssuer<ZoneTokenClaims>;
  readonly logger: Logger;
  /** This zone's name (a ZoneIngress registers into it). */
  readonly zone: string;
  /** The CA Envoy should verify the CP with (the generated one), if known. */
  readonly cpCaPem?: string;
  /** Default Envoy admin port (Kuma: 9901). */
  readonly defaultAdminPort?: number;
  readonly maxBodyBytes?: number;
}

const RESOURCE_TYPE: Readonly<Record<ProxyType, string>> = { dataplane: 'Dataplane', ingress: 'ZoneIngress' };

async function readJson(req: IncomingMessage, maxBytes: number): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new StraitError('Invalid', `request body exceeds ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new StraitError('Invalid', 'request body is not JSON', {
      violations: [{ field: '(root)', reason: 'must be a JSON object' }],
    });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new StraitError('Invalid', 'request body must be a JSON object', {
      violations: [{ field: '(root)', reason: 'must be a JSON object' }],
    });
  }
  return body as Record<string, unknown>;
}

function proxyTypeOf(value: unknown): ProxyType {
  if (value === 'dataplane' || value === 'ingress') return value;
  throw new StraitError('Invalid', 'proxyType must be dataplane or ingress', {
    violations: [{ field: 'proxyType', reason: 'must be dataplane or ingress' }],
  });
}

function tokenOf(value: unknown): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  throw new StraitError(
    'Unauthenticated',
    'no token: pass --dataplane-token-file (or --zone-token-file for an ingress)',
  );
}

function hostPortOf(req: IncomingMessage): { host: string; port: number } {
  const header = req.headers.host ?? '';
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(header);
  const port = m?.[2] !== undefined ? Number(m[2]) : (req.socket.localPort ?? 5678);
  return { host: m?.[1] ?? req.socket.localAddress ?? '127.0.0.1', port };
}

function inboundTagsOf(input: ResourceInput): Record<string, string>[] {
  const networking = (input.spec as { networking?: { inbound?: Array<{ tags?: Record<string, string> }> } }).networking;
  return (networking?.inbound ?? []).map((i) => i.tags ?? {});
}

/** Writes the resource: create, or replace what a previous run of the same proxy registered. */
async function register(store: ResourceStore, input: ResourceInput): Promise<void> {
  const existing = await store.get(
    input.mesh === undefined
      ? { type: input.type, name: input.name }
      : { type: input.type, mesh: input.mesh, name: input.name },
  );
  if (existing === undefined) await store.create(input);
  else await store.update(input, { expectedVersion: existing.meta.version });
}

/**
 * The HTTPS endpoints of the xDS port a proxy calls before it runs Envoy:
 * `POST /bootstrap` checks the token against the resource, registers the Dataplane (or
 * ZoneIngress) and answers Envoy's bootstrap; `POST /deregister` removes the registration on
 * graceful shutdown. Errors are Kuma-style problem documents.
 */
export function createBootstrapHandler(
  options: BootstrapHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const log = options.logger.child({ component: 'bootstrap' });
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;

  async function authorize(
    body: Record<string, unknown>,
    type: ProxyType,
    input: { mesh?: string; name: string; inboundTags: Record<string, string>[] },
  ) {
    if (type === 'ingress') {
      await verifyIngressToken(
        options.zoneTokens,
        typeof body.token === 'string' ? body.token.trim() : '',
        options.zone,
      );
      return;
    }
    let claims: ProxyTokenClaims;
    try {
      claims = await options.tokens.verify(tokenOf(body.token));
    } catch (err) {
      if (isStraitError(err, 'Unauthenticated')) throw err;
      throw new StraitError('Unauthenticated', `invalid token: ${(err as Error).message}`);
    }
    checkProxyToken(claims, {
      type,
      ...(input.mesh === undefined ? {} : { mesh: input.mesh }),
      name: input.name,
      inboundTags: input.inboundTags,
    });
  }

  /**
   * A ZoneIngress registers into this zone; re-registering keeps the `availableServices` the CP
   * computed (the runner does not know them), and a name taken by another zone's ingress is refused.
   */
  async function ingressInput(input: ResourceInput): Promise<ResourceInput> {
    const spec = input.spec as { zone?: string; availableServices?: unknown };
    if (spec.zone !== undefined && spec.zone !== options.zone) {
      throw new StraitError('Invalid', `a zone ingress registers into this CP's zone "${options.zone}"`, {
        violations: [{ field: 'zone', reason: `must be "${options.zone}" or unset` }],
      });
    }
    const existing = await options.store.get({ type: 'ZoneIngress', name: input.name });
    if (existing !== undefined && ingressZoneOf(existing) !== options.zone) {
      throw new StraitError(
        'Conflict',
        `ZoneIngress "${input.name}" belongs to zone "${ingressZoneOf(existing) ?? ''}"; pick another --name`,
      );
    }
    const kept = (existing?.spec as { availableServices?: unknown } | undefined)?.availableServices;
    return {
      ...input,
      spec: {
        ...(input.spec as object),
        zone: options.zone,
        ...(spec.availableServices === undefined && kept !== undefined ? { availableServices: kept } : {}),
      },
    };
  }

  async function bootstrap(req: IncomingMessage): Promise<unknown> {
    const body = await readJson(req, maxBodyBytes);
    const type = proxyTypeOf(body.proxyType);
    let input = parseUniversal(options.registry, body.resource, { type: RESOURCE_TYPE[type] });
    await authorize(body, type, {
      ...(input.mesh === undefined ? {} : { mesh: input.mesh }),
      name: input.name,
      inboundTags: inboundTagsOf(input),
    });
    if (type === 'ingress') input = await ingressInput(input);
    await register(options.store, input);
    const stored = await options.store.get(
      input.mesh === undefined
        ? { type: input.type, name: input.name }
        : { type: input.type, mesh: input.mesh, name: input.name },
    );
    if (stored === undefined) throw new StraitError('Unavailable', 'registration vanished; retry');
    const { host, port } = hostPortOf(req);
    const adminPort = typeof body.adminPort === 'number' ? body.adminPort : (options.defaultAdminPort ?? 9901);
    const tags = inboundTagsOf(input)[0] ?? {};
    const key =
      input.mesh === undefined
        ? { type: input.type, name: input.name }
        : { type: input.type, mesh: input.mesh, name: input.name };
    const nodeId = proxyIdOf({ type, key });
    log.info({ proxy: nodeId, type, from: req.socket.remoteAddress }, 'proxy registered');
    return {
      bootstrap: generateBootstrap({
        nodeId,
        nodeCluster: tags['kuma.io/service'] ?? input.name,
        cpHost: host,
        cpPort: port,
        ...(options.cpCaPem === undefined ? {} : { cpCaPem: options.cpCaPem }),
        token: tokenOf(body.token),
        adminPort,
        xdsApi: 'DELTA_GRPC',
      }),
      resource: toUniversal(options.registry.require(input.type), stored),
    };
  }

  async function deregister(req: IncomingMessage): Promise<unknown> {
    const body = await readJson(req, maxBodyBytes);
    const type = proxyTypeOf(body.proxyType);
    const name = typeof body.name === 'string' ? body.name : '';
    const mesh = type === 'dataplane' ? (typeof body.mesh === 'string' ? body.mesh : 'default') : undefined;
    const key = mesh === undefined ? { type: RESOURCE_TYPE[type], name } : { type: RESOURCE_TYPE[type], mesh, name };
    const existing = await options.store.get(key);
    if (existing === undefined) return {};
    if (type === 'ingress' && ingressZoneOf(existing) !== options.zone) {
      throw new StraitError('Forbidden', `ZoneIngress "${name}" belongs to another zone; it is not deregistered here`);
    }
    await authorize(body, type, {
      ...(mesh === undefined ? {} : { mesh }),
      name,
      inboundTags: inboundTagsOf({ ...key, spec: existing.spec }),
    });
    await options.store.delete(key).catch((err: unknown) => {
      if (!isStraitError(err, 'NotFound')) throw err;
    });
    log.info({ proxy: proxyIdOf({ type, key }) }, 'proxy deregistered');
    return {};
  }

  const routes: Record<string, (req: IncomingMessage) => Promise<unknown>> = {
    '/bootstrap': bootstrap,
    '/deregister': deregister,
  };

  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes[path];
    const send = (status: number, contentType: string, payload: unknown): void => {
      res.writeHead(status, { 'content-type': contentType }).end(JSON.stringify(payload));
    };
    if (route === undefined || req.method !== 'POST') {
      const err = new StraitError(
        route === undefined ? 'NotFound' : 'MethodNotAllowed',
        `${req.method} ${path} is not served here`,
      );
      const problem = problemFor(err, path);
      send(problem.status, PROBLEM_CONTENT_TYPE, problem);
      return;
    }
    route(req).then(
      (payload) => send(200, 'application/json', payload),
      (err: unknown) => {
        const e = isStraitError(err) ? err : new StraitError('Internal', 'internal error', { cause: err });
        if (e.code === 'Internal') log.error({ err }, 'bootstrap failed');
        else log.warn({ path, code: e.code, reason: e.message, from: req.socket.remoteAddress }, 'bootstrap refused');
        const problem = problemFor(e, path, 'Could not bootstrap the proxy');
        send(problem.status, PROBLEM_CONTENT_TYPE, problem);
      },
    );
  };
}
