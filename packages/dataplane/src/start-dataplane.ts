/**
 * Starting a sidecar: read the Dataplane, register it with the zone CP (which returns the Envoy
 * bootstrap), run Envoy until ready. Stopping: drain, stop Envoy, deregister. The launcher that
 * does the registering and running is shared with the zone ingress (`launchProxy`).
 */
import { type LaunchedProxy, type Logger, launchProxy, readProxyResourceFile } from '@strait/shared';
import { readToken, withAdminPort } from './dataplane-inputs.js';
import type { DataplaneOptions } from './dataplane-options.js';

/** A registered dataplane whose Envoy is ready. */
export interface RunningDataplane extends LaunchedProxy {
  readonly name: string;
  readonly mesh: string;
}

/**
 * Registers the dataplane and runs Envoy until it is ready, then logs `ready`. When `signal`
 * aborts during start-up, what was started is stopped and the abort reason is thrown. A CP refusal
 * is logged as `bootstrap refused` (with the reason) before it is thrown; Envoy is not started.
 */
export async function startDataplane(
  options: DataplaneOptions & { readonly logger: Logger; readonly signal?: AbortSignal },
): Promise<RunningDataplane> {
  const file = await readProxyResourceFile({
    path: options.dataplaneFile,
    type: 'Dataplane',
    varFlag: '--dataplane-var',
    ...(options.dataplaneVars === undefined ? {} : { vars: options.dataplaneVars }),
  });
  const name = file.input.name;
  const mesh = file.input.mesh ?? 'default';
  const logger = options.logger.child({ dataplane: name, mesh });
  const token = await readToken(options.dataplaneTokenFile, logger);
  const proxy = await launchProxy({
    ...options,
    logger,
    proxyType: 'dataplane',
    resource: withAdminPort(file.object, options.adminPort),
    mesh,
    name,
    token,
  });
  return { ...proxy, name, mesh };
}
