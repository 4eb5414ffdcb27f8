import { Writable } from 'node:stream';
import { createLogger } from '@strait/shared';
import { type Command, InvalidArgumentError } from 'commander';
import type { CliContext } from '../cli-context.js';
import type { CliIo } from '../cli-io.js';
import { collect, parseKeyValues } from '../option-values.js';
import { usageError } from '../usage-error.js';

/** Where `strait dp run` registers when neither `--cp-address` nor `STRAIT_CP_ADDRESS` says. */
const DEFAULT_CP_ADDRESS = 'https://localhost:5678';

interface DpRunFlags {
  cpAddress?: string;
  dataplaneFile?: string;
  dataplaneVar?: string[];
  dataplaneTokenFile?: string;
  caCertFile?: string;
  envoyBin?: string;
  adminPort?: number;
  drainTimeMs?: number;
  concurrency?: number;
  workDir?: string;
}

export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    }
    return n;
  };
}

/** Log lines go to the invocation's stdout (the process's, or a test's capture). */
export function stdoutOf(io: CliIo): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      io.out(chunk.toString('utf8'));
      callback();
    },
  });
}

/** First of: the flag, the environment variable (empty counts as unset). */
export function flagOrEnv(flag: string | undefined, env: string | undefined): string | undefined {
  if (flag !== undefined) return flag;
  return env === undefined || env === '' ? undefined : env;
}

/**
 * Registers `strait dp run`: registers a Dataplane with its zone CP and runs its Envoy until
 * SIGTERM/SIGINT. Environment (read from the invocation's IO): STRAIT_CP_ADDRESS,
 * STRAIT_DATAPLANE_TOKEN_FILE, STRAIT_CA_CERT_FILE, ENVOY_BIN; flags win.
 */
export function registerDpRunCommand(program: Command, ctx: CliContext): void {
  program
    .command('dp')
    .description('data plane proxy (sidecar)')
    .command('run')
    .description('register a Dataplane with its zone control plane and run its Envoy')
    .option('--cp-address <url>', `zone CP bootstrap server (env STRAIT_CP_ADDRESS; default ${DEFAULT_CP_ADDRESS})`)
    .option('--dataplane-file <path>', 'the Dataplane, YAML or JSON, with {{ name }} placeholders')
    .option('--dataplane-var <key=value>', 'replace {{ key }} in the dataplane file with value (repeatable)', collect)
    .option('--dataplane-token-file <path>', 'file holding the dataplane token (env STRAIT_DATAPLANE_TOKEN_FILE)')
    .option('--ca-cert-file <path>', "CA certificate (PEM) of the zone CP's TLS certificate (env STRAIT_CA_CERT_FILE)")
    .option('--envoy-bin <path>', 'Envoy binary (env ENVOY_BIN; default envoy on PATH)')
    .option(
      '--admin-port <port>',
      'Envoy admin port on 127.0.0.1 (default: as the CP bootstraps it)',
      integerIn(0, 65535),
    )
    .option('--drain-time-ms <ms>', 'how long listeners drain on shutdown (default 30000)', integerIn(0, 3_600_000))
    .option('--concurrency <n>', 'Envoy worker threads (default 2)', integerIn(1, 1024))
    .option('--work-dir <dir>', 'where the Envoy bootstrap is written (default a temporary directory)')
    .action(async (flags: DpRunFlags) => {
      if (flags.dataplaneFile === undefined) throw usageError('dp run needs --dataplane-file');
      const env = ctx.io.env;
      const tokenFile = flagOrEnv(flags.dataplaneTokenFile, env.STRAIT_DATAPLANE_TOKEN_FILE);
      const caCertFile = flagOrEnv(flags.caCertFile, env.STRAIT_CA_CERT_FILE);
      const vars = parseKeyValues('--dataplane-var', flags.dataplaneVar ?? []);
      // Loaded on demand so other commands do not pay for the launcher.
      const { runDataplane } = await import('@strait/dataplane');
      await runDataplane({
        cpAddress: flagOrEnv(flags.cpAddress, env.STRAIT_CP_ADDRESS) ?? DEFAULT_CP_ADDRESS,
        dataplaneFile: flags.dataplaneFile,
        dataplaneVars: vars,
        env,
        logger: createLogger({ base: { role: 'dataplane' }, destination: stdoutOf(ctx.io) }),
        ...(tokenFile === undefined ? {} : { dataplaneTokenFile: tokenFile }),
        ...(caCertFile === undefined ? {} : { caCertFile }),
        ...(flags.envoyBin === undefined ? {} : { envoyBin: flags.envoyBin }),
        ...(flags.adminPort === undefined ? {} : { adminPort: flags.adminPort }),
        ...(flags.drainTimeMs === undefined ? {} : { drainTimeMs: flags.drainTimeMs }),
        ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
        ...(flags.workDir === undefined ? {} : { workDir: flags.workDir }),
      });
    });
}
