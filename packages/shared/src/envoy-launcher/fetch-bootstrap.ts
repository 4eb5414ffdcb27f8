/** Registering a proxy with its zone control plane and getting its Envoy bootstrap (`POST /bootstrap`). */
import { StraitError } from '../errors/strait-error.js';
import type { UniversalObject } from '../model/codec.js';
import { type CpClientOptions, callCp } from './call-cp.js';
import type { ProxyType } from './proxy-type.js';

/** Options of {@link fetchBootstrap}. */
export interface FetchBootstrapOptions extends CpClientOptions {
  readonly proxyType: ProxyType;
  /** The universal Dataplane or ZoneIngress object to register. */
  readonly resource: UniversalObject;
  /** The proxy's token (a JWT); sent in the body, never logged. */
  readonly token: string;
  /** Version of the Envoy that will run, e.g. `1.40.0`. */
  readonly envoyVersion: string;
}

/** The control plane's answer: the Envoy bootstrap and the resource as registered. */
export interface BootstrapResult {
  /** Envoy `Bootstrap` in proto3 JSON; it holds the token (ADS initial metadata): keep it private. */
  readonly bootstrap: Record<string, unknown>;
  readonly resource: UniversalObject;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Registers the proxy and returns its bootstrap. Errors (`StraitError`): `Unauthenticated` (token
 * missing, invalid, revoked or expired), `Forbidden` (token not for this name/mesh/tags), `Invalid`
 * (the resource, with the server's fields as violations), `Unavailable` (unreachable or 5xx after
 * the retries, or a certificate that does not verify), `Internal` (a malformed answer).
 */
export async function fetchBootstrap(options: FetchBootstrapOptions): Promise<BootstrapResult> {
  const answer = await callCp(options, {
    what: 'bootstrap',
    path: '/bootstrap',
    body: {
      proxyType: options.proxyType,
      resource: options.resource,
      token: options.token,
      envoyVersion: options.envoyVersion,
    },
  });
  if (!isRecord(answer) || !isRecord(answer.bootstrap)) {
    throw new StraitError('Internal', 'bootstrap: the control plane answered without a bootstrap object');
  }
  return { bootstrap: answer.bootstrap, resource: isRecord(answer.resource) ? answer.resource : options.resource };
}
