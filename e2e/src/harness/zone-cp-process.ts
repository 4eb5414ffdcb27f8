import assert from 'node:assert/strict';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import type { ProcessHandle } from './process-handle.js';
import { startStrait } from './strait-cli.js';

/** A zone CP started as a real process. */
export interface ZoneCpProcess {
  readonly handle: ProcessHandle;
  readonly api: string;
  readonly diagnostics: string;
  /** `https://127.0.0.1:<xds port>` for `strait dp run --cp-address`. */
  readonly xds: string;
  /** The CA of the CP's generated certificate (for `--ca-cert-file`). */
  readonly caFile: string;
  readonly ports: { readonly api: number; readonly diagnostics: number; readonly xds: number };
}

/** Ports a zone CP binds; fixed across restarts so proxies can find it again. */
export interface ZoneCpPorts {
  readonly api: number;
  readonly diagnostics: number;
  readonly xds: number;
}

/** Picks free ports for a zone CP. */
export async function zoneCpPorts(): Promise<ZoneCpPorts> {
  return { api: await freePort(), diagnostics: await freePort(), xds: await freePort() };
}

/** The environment of a zone CP on `ports` of loopback, with its data in `dataDir`; `env` wins. */
export function zoneCpEnv(
  dataDir: string,
  zone: string,
  ports: ZoneCpPorts,
  env: Record<string, string>,
): Record<string, string> {
  return {
    STRAIT_DATA_DIR: dataDir,
    STRAIT_ZONE_NAME: zone,
    STRAIT_API_HOST: '127.0.0.1',
    STRAIT_API_PORT: String(ports.api),
    STRAIT_DIAGNOSTICS_HOST: '127.0.0.1',
    STRAIT_DIAGNOSTICS_PORT: String(ports.diagnostics),
    STRAIT_XDS_HOST: '127.0.0.1',
    STRAIT_XDS_PORT: String(ports.xds),
    ...env,
  };
}

/**
 * Waits for a started zone CP's `ready` and describes it. A CP that never got ready is killed:
 * it must not outlive the test that could not get hold of it.
 */
export async function zoneCpWhenReady(
  handle: ProcessHandle,
  dataDir: string,
  ports: ZoneCpPorts,
): Promise<ZoneCpProcess> {
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

/** Starts `strait zone-cp run` on loopback with a SQLite store in `dataDir` and waits for `ready`. */
export async function startZoneCpProcess(
  name: string,
  dataDir: string,
  ports: ZoneCpPorts,
  env: Record<string, string> = {},
): Promise<ZoneCpProcess> {
  const zone = env.STRAIT_ZONE_NAME ?? 'zone-1';
  const handle = startStrait(
    name,
    ['zone-cp', 'run'],
    zoneCpEnv(dataDir, zone, ports, env),
    join(dataDir, `${name}.log`),
  );
  return zoneCpWhenReady(handle, dataDir, ports);
}
