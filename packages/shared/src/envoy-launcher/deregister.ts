/** Removing a proxy's registration from its zone control plane on graceful shutdown (`POST /deregister`). */
import { type CpClientOptions, callCp } from './call-cp.js';
import type { ProxyType } from './proxy-type.js';

/** Options of {@link deregisterProxy}. */
export interface DeregisterOptions extends CpClientOptions {
  readonly proxyType: ProxyType;
  /** Mesh of a Dataplane; unset for a ZoneIngress. */
  readonly mesh?: string;
  readonly name: string;
  /** The same token the proxy registered with; never logged. */
  readonly token: string;
}

/** Deregisters the proxy; the same retry rules and errors as `fetchBootstrap`. */
export async function deregisterProxy(options: DeregisterOptions): Promise<void> {
  await callCp(options, {
    what: 'deregister',
    path: '/deregister',
    body: {
      proxyType: options.proxyType,
      ...(options.mesh === undefined ? {} : { mesh: options.mesh }),
      name: options.name,
      token: options.token,
    },
  });
}
