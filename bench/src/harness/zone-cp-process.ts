/**
 * A real `strait zone-cp run` child process for a benchmark (standalone: no global), on free
 * loopback ports; see `cp-process.ts` for how it is run and stopped.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CpProcess, startCpProcess } from './cp-process.js';
import { freePort } from './free-port.js';

export type { StopOutcome } from './cp-process.js';

/** Options of {@link startZoneCpProcess}. */
export interface ZoneCpProcessOptions {
  /** Data directory (store, TLS files, admin token); also the process's working directory. */
  readonly dataDir: string;
  /** `sqlite` (the product default) or `memory`. */
  readonly storeType: 'sqlite' | 'memory';
  /** Where stdout and stderr go. */
  readonly logFile: string;
  /** Extra arguments of the CP's `node` (e.g. `--cpu-prof`, which NODE_OPTIONS does not allow). */
  readonly nodeArgs?: readonly string[];
  /** Log level; default `info` (the product default). */
  readonly logLevel?: string;
  /** How long to wait for the ready line; default 60 s. */
  readonly readyTimeoutMs?: number;
}

/** A running zone CP. */
export interface ZoneCpProcess extends CpProcess {
  readonly apiUrl: string;
  /** Diagnostics (`/ready`, `/metrics`). */
  readonly diagnosticsUrl: string;
  /** `127.0.0.1:<port>` of the xDS port (ADS and bootstrap, TLS). */
  readonly xdsAddress: string;
  /** PEM of the CA the CP generated for its xDS certificate. */
  readonly caPem: string;
}

/** Starts the CP and resolves once it logged `ready`. */
export async function startZoneCpProcess(options: ZoneCpProcessOptions): Promise<ZoneCpProcess> {
  const [api, xds, diagnostics] = [await freePort(), await freePort(), await freePort()];
  const cp = await startCpProcess({
    ...options,
    role: 'zone-cp',
    ports: { 'api-port': api, 'xds-port': xds, 'diagnostics-port': diagnostics },
  });
  return {
    ...cp,
    apiUrl: `http://127.0.0.1:${api}`,
    diagnosticsUrl: `http://127.0.0.1:${diagnostics}`,
    xdsAddress: `127.0.0.1:${xds}`,
    caPem: readFileSync(join(options.dataDir, 'tls', 'ca.crt'), 'utf8'),
  };
}
