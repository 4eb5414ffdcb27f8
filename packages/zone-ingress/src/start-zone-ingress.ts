/**
 * Starting a zone ingress: build its ZoneIngress from the flags, register it with the zone CP
 * using the zone token (the CP answers the Envoy bootstrap), run Envoy until ready. Stopping:
 * drain, stop Envoy, deregister. The launcher is the one `strait dp run` uses (`launchProxy`).
 */
import { type LaunchedProxy, type Logger, launchProxy, readTokenFile } from '@strait/shared';
import type { ZoneIngressOptions } from './zone-ingress-options.js';
import { zoneIngressResource } from './zone-ingress-resource.js';

/** A registered zone ingress whose Envoy is ready. */
export interface RunningZoneIngress extends LaunchedProxy {
  readonly name: string;
}

/**
 * Registers the ingress and runs Envoy until it is ready, then logs `ready` with its listener and
 * advertised addresses. When `signal` aborts during start-up, what was started is stopped and the
 * abort reason is thrown. A CP refusal (e.g. a token without scope `ingress`) is logged as
 * `bootstrap refused` with the CP's reason before it is thrown; Envoy is not started.
 */
export async function startZoneIngress(
  options: ZoneIngressOptions & { readonly logger: Logger; readonly signal?: AbortSignal },
): Promise<RunningZoneIngress> {
  const resource = zoneIngressResource(options);
  const name = resource.name as string;
  const networking = resource.networking as Record<string, unknown>;
  const token = await readTokenFile(options.zoneTokenFile, 'zone token');
  const proxy = await launchProxy({
    ...options,
    logger: options.logger.child({ zoneIngress: name }),
    proxyType: 'ingress',
    resource,
    name,
    token,
    registeringFields: { networking },
    readyFields: {
      listener: `${String(networking.address)}:${String(networking.port)}`,
      advertised: `${String(networking.advertisedAddress)}:${String(networking.advertisedPort)}`,
    },
  });
  return { ...proxy, name };
}
