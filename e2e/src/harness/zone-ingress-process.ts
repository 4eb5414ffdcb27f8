import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envoyBin } from './envoy-bin.js';
import { freePort } from './free-port.js';
import { startStraitInNetns } from './netns.js';
import type { ProcessHandle } from './process-handle.js';
import { startStrait } from './strait-cli.js';

/** What a zone ingress listens on and tells other zones to dial. */
export interface ZoneIngressSpec {
  readonly name: string;
  /** A zone token with scope `ingress` (the global's `POST /tokens/zone`). */
  readonly token: string;
  readonly address: string;
  readonly port: number;
  readonly advertisedAddress: string;
  readonly advertisedPort: number;
  /** Runs `strait zone-ingress run` (and so Envoy) inside this network namespace; default the test's own. */
  readonly netns?: string;
}

/** A zone ingress run by `strait zone-ingress run`. */
export interface ZoneIngressProcess {
  readonly name: string;
  readonly handle: ProcessHandle;
  /** Envoy admin, on loopback (of the ingress's namespace). */
  readonly adminPort: number;
}

/** Starts `strait zone-ingress run` for `spec` (not waiting: callers wait for `ready` or a failure). */
export async function startZoneIngress(
  dir: string,
  cp: { xds: string; caFile: string },
  spec: ZoneIngressSpec,
): Promise<ZoneIngressProcess> {
  const adminPort = await freePort();
  const tokenFile = join(dir, `${spec.name}.token`);
  writeFileSync(tokenFile, spec.token, { mode: 0o600 });
  const args = [
    'zone-ingress',
    'run',
    '--cp-address',
    cp.xds,
    '--ca-cert-file',
    cp.caFile,
    '--zone-token-file',
    tokenFile,
    '--name',
    spec.name,
    '--address',
    spec.address,
    '--port',
    String(spec.port),
    '--advertised-address',
    spec.advertisedAddress,
    '--advertised-port',
    String(spec.advertisedPort),
    '--admin-port',
    String(adminPort),
    '--work-dir',
    join(dir, `${spec.name}-work`),
    '--drain-time-ms',
    '500',
  ];
  const env = { ENVOY_BIN: envoyBin() };
  const logFile = join(dir, `${spec.name}.log`);
  const handle =
    spec.netns === undefined
      ? startStrait(`ingress-${spec.name}`, args, env, logFile)
      : startStraitInNetns(spec.netns, `ingress-${spec.name}`, args, env, logFile);
  return { name: spec.name, handle, adminPort };
}
