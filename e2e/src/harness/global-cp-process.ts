import { join } from 'node:path';
import { freePort } from './free-port.js';
import type { ProcessHandle } from './process-handle.js';
import { startStrait } from './strait-cli.js';

/** A global CP started as a real process. */
export interface GlobalCpProcess {
  readonly handle: ProcessHandle;
  readonly api: string;
  /** `grpcs://127.0.0.1:<kds port>` for zones. */
  readonly kds: string;
  /** The CA of the generated KDS certificate (for `STRAIT_GLOBAL_CA_FILE`). */
  readonly caFile: string;
  readonly ports: { readonly api: number; readonly diagnostics: number; readonly kds: number };
}

/** Starts `strait global-cp run` on loopback with a SQLite store in `dataDir` (plus `env`). */
export async function startGlobalCpProcess(
  name: string,
  dataDir: string,
  ports?: GlobalCpProcess['ports'],
  env: Record<string, string> = {},
): Promise<GlobalCpProcess> {
  const p = ports ?? { api: await freePort(), diagnostics: await freePort(), kds: await freePort() };
  const handle = startStrait(
    name,
    ['global-cp', 'run'],
    {
      STRAIT_DATA_DIR: dataDir,
      STRAIT_API_HOST: '127.0.0.1',
      STRAIT_API_PORT: String(p.api),
      STRAIT_DIAGNOSTICS_HOST: '127.0.0.1',
      STRAIT_DIAGNOSTICS_PORT: String(p.diagnostics),
      STRAIT_KDS_HOST: '127.0.0.1',
      STRAIT_KDS_PORT: String(p.kds),
      ...env,
    },
    join(dataDir, `${name}.log`),
  );
  await handle.waitForLog('ready');
  return {
    handle,
    api: `http://127.0.0.1:${p.api}`,
    kds: `grpcs://127.0.0.1:${p.kds}`,
    caFile: join(dataDir, 'tls', 'ca.crt'),
    ports: p,
  };
}
