import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startStraitInNetns, type ZoneNetwork } from './netns.js';
import type { ZoneCpPorts, ZoneCpProcess } from './zone-cp-process.js';

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
    {
      STRAIT_DATA_DIR: dataDir,
      STRAIT_ZONE_NAME: net.zone,
      STRAIT_API_HOST: '127.0.0.1',
      STRAIT_API_PORT: String(ports.api),
      STRAIT_DIAGNOSTICS_HOST: '127.0.0.1',
      STRAIT_DIAGNOSTICS_PORT: String(ports.diagnostics),
      STRAIT_XDS_HOST: '127.0.0.1',
      STRAIT_XDS_PORT: String(ports.xds),
      ...env,
    },
    join(dataDir, `${name}.log`),
  );
  // A CP that never got ready must not outlive the test that could not get hold of it.
  const ready = await handle.waitForLog('ready').catch(async (err: unknown) => {
    await handle.killGroup();
    throw err;
  });
  assert.equal((ready.ports as Record<string, number>).xds, ports.xds);
  return {
    handle,
    api: `http://127.0.0.1:${ports.api}`,
    diagnostics: `http://127.0.0.1:${ports.diagnostics}`,
    xds: `https://127.0.0.1:${ports.xds}`,
    caFile: join(dataDir, 'tls', 'ca.crt'),
    ports,
  };
}
