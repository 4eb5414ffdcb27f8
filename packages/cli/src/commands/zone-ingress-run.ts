import { createLogger } from '@strait/shared';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { usageError } from '../usage-error.js';
import { flagOrEnv, integerIn, stdoutOf } from './dp-run.js';

/** Where `strait zone-ingress run` registers when neither `--cp-address` nor `STRAIT_CP_ADDRESS` says. */
const DEFAULT_CP_ADDRESS = 'https://localhost:5678';

interface ZoneIngressRunFlags {
  cpAddress?: string;
  zoneTokenFile?: string;
  name?: string;
  address?: string;
  port?: number;
  advertisedAddress?: string;
  advertisedPort?: number;
  caCertFile?: string;
  envoyBin?: string;
  adminPort?: number;
  drainTimeMs?: number;
  concurrency?: number;
  workDir?: string;
}

/**
 * Registers `strait zone-ingress run`: registers a ZoneIngress with its zone CP and runs its
 * Envoy (SNI passthrough on :10001 by default) until SIGTERM/SIGINT. Environment (read from the
 * invocation's IO): STRAIT_CP_ADDRESS, STRAIT_ZONE_TOKEN_FILE, STRAIT_CA_CERT_FILE, ENVOY_BIN;
 * flags win. The name defaults to the host name; the address to the host's first non-loopback
 * IPv4 address; the advertised address and port to the listen address and port.
 */
export function registerZoneIngressRunCommand(program: Command, ctx: CliContext): void {
  program
    .command('zone-ingress')
    .description('zone ingress proxy (cross-zone traffic into this zone)')
    .command('run')
    .description('register a ZoneIngress with its zone control plane and run its Envoy')
    .option('--cp-address <url>', `zone CP bootstrap server (env STRAIT_CP_ADDRESS; default ${DEFAULT_CP_ADDRESS})`)
    .option(
      '--zone-token-file <path>',
      'file holding a zone token of this zone with scope ingress (env STRAIT_ZONE_TOKEN_FILE; required)',
    )
    .option('--name <name>', 'name of the ZoneIngress (default: the host name)')
    .option('--address <ip>', "address the ingress listens on (default: the host's first non-loopback IPv4)")
    .option('--port <port>', 'port the ingress listens on (default 10001)', integerIn(1, 65535))
    .option('--advertised-address <host>', 'address other zones dial (default: --address)')
    .option('--advertised-port <port>', 'port other zones dial (default: --port)', integerIn(1, 65535))
    .option('--ca-cert-file <path>', "CA certificate (PEM) of the zone CP's TLS certificate (env STRAIT_CA_CERT_FILE)")
    .option('--envoy-bin <path>', 'Envoy binary (env ENVOY_BIN; default envoy on PATH)')
    .option('--admin-port <port>', 'Envoy admin port on 127.0.0.1 (default 9901)', integerIn(0, 65535))
    .option('--drain-time-ms <ms>', 'how long listeners drain on shutdown (default 30000)', integerIn(0, 3_600_000))
    .option('--concurrency <n>', 'Envoy worker threads (default 2)', integerIn(1, 1024))
    .option('--work-dir <dir>', 'where the Envoy bootstrap is written (default a temporary directory)')
    .action(async (flags: ZoneIngressRunFlags) => {
      const env = ctx.io.env;
      const zoneTokenFile = flagOrEnv(flags.zoneTokenFile, env.STRAIT_ZONE_TOKEN_FILE);
      if (zoneTokenFile === undefined) {
        throw usageError('zone-ingress run needs --zone-token-file (a zone token with scope ingress)');
      }
      const caCertFile = flagOrEnv(flags.caCertFile, env.STRAIT_CA_CERT_FILE);
      // Loaded on demand so other commands do not pay for the launcher.
      const { runZoneIngress } = await import('@strait/zone-ingress');
      await runZoneIngress({
        cpAddress: flagOrEnv(flags.cpAddress, env.STRAIT_CP_ADDRESS) ?? DEFAULT_CP_ADDRESS,
        zoneTokenFile,
        env,
        logger: createLogger({ base: { role: 'zone-ingress' }, destination: stdoutOf(ctx.io) }),
        ...(caCertFile === undefined ? {} : { caCertFile }),
        ...(flags.name === undefined ? {} : { name: flags.name }),
        ...(flags.address === undefined ? {} : { address: flags.address }),
        ...(flags.port === undefined ? {} : { port: flags.port }),
        ...(flags.advertisedAddress === undefined ? {} : { advertisedAddress: flags.advertisedAddress }),
        ...(flags.advertisedPort === undefined ? {} : { advertisedPort: flags.advertisedPort }),
        ...(flags.envoyBin === undefined ? {} : { envoyBin: flags.envoyBin }),
        ...(flags.adminPort === undefined ? {} : { adminPort: flags.adminPort }),
        ...(flags.drainTimeMs === undefined ? {} : { drainTimeMs: flags.drainTimeMs }),
        ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
        ...(flags.workDir === undefined ? {} : { workDir: flags.workDir }),
      });
    });
}
