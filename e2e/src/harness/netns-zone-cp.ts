import { join } from 'node:path';
import { startStraitInNetns, type ZoneNetwork } from './netns.js';
import { type ZoneCpPorts, type ZoneCpProcess, zoneCpEnv, zoneCpWhenReady } from './zone-cp-process.js';

/**
 * Starts `strait zone-cp run` inside `net`'s namespace and waits for `ready`. Everything listens
 * on the namespace's loopback: `api`, `diagnostics` and `xds` are URLs inside the namespace,
 * which only that zone's proxies reach; the test calls the API through the zone's agent.
 */
export async function startZoneCpInNetns(
  net: ZoneNetwork,
  name: string,
  dataDir: string,
  ports: ZoneCpPorts,
  env: Record<string, string> = {},
): Promise<ZoneCpProcess> {
  const handle = startStraitInNetns(
    net.netns,
    name,
    ['zone-cp', 'run'],
    zoneCpEnv(dataDir, net.zone, ports, env),
    join(dataDir, `${name}.log`),
  );
  return zoneCpWhenReady(handle, dataDir, ports);
}
