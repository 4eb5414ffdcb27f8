import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envoyBin } from './envoy-bin.js';
import { freePort } from './free-port.js';
import { startStraitInNetns } from './netns.js';
import type { ProcessHandle } from './process-handle.js';
import { startStrait } from './strait-cli.js';

/** A Dataplane run by `strait dp run` next to a test app. */
export interface Sidecar {
  readonly name: string;
  readonly handle: ProcessHandle;
  readonly adminPort: number;
  /** The inbound listener's port (on the Dataplane's address). */
  readonly inboundPort: number;
  /** `http://<outbound address>:<port>` of each outbound, by service. */
  readonly outbound: Readonly<Record<string, string>>;
}

/** What a sidecar fronts and consumes. */
export interface SidecarSpec {
  readonly name: string;
  readonly service: string;
  /** Port of the local app. */
  readonly appPort: number;
  /** Services this proxy calls, each given a local outbound port. */
  readonly consumes?: readonly string[];
  readonly token: string;
  readonly mesh?: string;
  /** The Dataplane's `networking.address` (where inbounds listen); default 127.0.0.1. */
  readonly address?: string;
  /** Where outbound listeners bind (each outbound's `address`); default 127.0.0.1. */
  readonly outboundAddress?: string;
  /** Runs `strait dp run` (and so Envoy) inside this network namespace; default the test's own. */
  readonly netns?: string;
}

/** The Dataplane template (with `{{ var }}`s that `--dataplane-var` fills), as a user would write it. */
const TEMPLATE = `type: Dataplane
mesh: {{ mesh }}
name: {{ name }}
networking:
  address: {{ address }}
  admin:
    port: {{ adminPort }}
  inbound:
    - port: {{ inboundPort }}
      servicePort: {{ appPort }}
      tags:
        kuma.io/service: {{ service }}
        kuma.io/protocol: http
{{ outbounds }}`;

/** Starts `strait dp run` for `spec` (not waiting for readiness: callers wait for `ready` or for a failure). */
export async function startSidecar(
  dir: string,
  cp: { xds: string; caFile: string },
  spec: SidecarSpec,
): Promise<Sidecar> {
  const adminPort = await freePort();
  const inboundPort = await freePort();
  const outbound: Record<string, string> = {};
  const lines: string[] = [];
  for (const service of spec.consumes ?? []) {
    const port = await freePort();
    outbound[service] = `http://${spec.outboundAddress ?? '127.0.0.1'}:${port}`;
    const address = spec.outboundAddress === undefined ? '' : `\n      address: ${spec.outboundAddress}`;
    lines.push(`    - port: ${port}${address}\n      tags:\n        kuma.io/service: ${service}`);
  }
  const file = join(dir, `${spec.name}.dataplane.yaml`);
  const outbounds = lines.length === 0 ? '' : `  outbound:\n${lines.join('\n')}\n`;
  writeFileSync(file, TEMPLATE.replace('{{ outbounds }}', outbounds));
  const tokenFile = join(dir, `${spec.name}.token`);
  writeFileSync(tokenFile, spec.token, { mode: 0o600 });
  const vars = {
    mesh: spec.mesh ?? 'default',
    name: spec.name,
    address: spec.address ?? '127.0.0.1',
    adminPort,
    inboundPort,
    appPort: spec.appPort,
    service: spec.service,
  };
  const args = [
    'dp',
    'run',
    '--cp-address',
    cp.xds,
    '--ca-cert-file',
    cp.caFile,
    '--dataplane-file',
    file,
    ...Object.entries(vars).flatMap(([k, v]) => ['--dataplane-var', `${k}=${v}`]),
    '--dataplane-token-file',
    tokenFile,
    '--admin-port',
    String(adminPort),
    '--envoy-bin',
    envoyBin(),
    '--work-dir',
    join(dir, `${spec.name}-work`),
    '--drain-time-ms',
    '500',
  ];
  const logFile = join(dir, `${spec.name}.log`);
  const handle =
    spec.netns === undefined
      ? startStrait(`dp-${spec.name}`, args, {}, logFile)
      : startStraitInNetns(spec.netns, `dp-${spec.name}`, args, {}, logFile);
  return { name: spec.name, handle, adminPort, inboundPort, outbound };
}
