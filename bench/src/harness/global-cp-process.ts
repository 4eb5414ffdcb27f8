/**
 * A real `strait global-cp run` child process for a benchmark, on free loopback ports; see
 * `cp-process.ts` for how it is run and stopped.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CpProcess, startCpProcess } from './cp-process.js';
import { freePort } from './free-port.js';

/** Options of {@link startGlobalCpProcess}. */
export interface GlobalCpProcessOptions {
  /** Data directory (store, TLS files, admin token); also the process's working directory. */
  readonly dataDir: string;
  /** `sqlite` (the product default) or `memory`. */
  readonly storeType: 'sqlite' | 'memory';
  /** Where stdout and stderr go. */
  readonly logFile: string;
  /** Extra arguments of the CP's `node` (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
  /** Log level; default `info` (the product default). */
  readonly logLevel?: string;
}

/** A running global CP. */
export interface GlobalCpProcess extends CpProcess {
  readonly apiUrl: string;
  /** Diagnostics (`/ready`, `/metrics`). */
  readonly diagnosticsUrl: string;
  /** `127.0.0.1:<port>` of KDS (TLS). */
  readonly kdsAddress: string;
  /** PEM of the CA the global generated for its KDS certificate (zones verify against it). */
  readonly caPem: string;
}

/** Starts the global CP and resolves once it logged `ready`. */
export async function startGlobalCpProcess(options: GlobalCpProcessOptions): Promise<GlobalCpProcess> {
  const [api, kds, diagnostics] = [await freePort(), await freePort(), await freePort()];
  const cp = await startCpProcess({
    ...options,
    role: 'global-cp',
    ports: { 'api-port': api, 'kds-port': kds, 'diagnostics-port': diagnostics },
  });
  return {
    ...cp,
    apiUrl: `http://127.0.0.1:${api}`,
    diagnosticsUrl: `http://127.0.0.1:${diagnostics}`,
    kdsAddress: `127.0.0.1:${kds}`,
    caPem: readFileSync(join(options.dataDir, 'tls', 'ca.crt'), 'utf8'),
  };
}
