import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ConnectionFlags } from './config/connection.js';

/** Flags every command accepts (before or after the subcommand). */
export interface GlobalOptions extends ConnectionFlags {
  readonly configFile?: string;
}

/**
 * Adds the global flags to the root command. Their environment variables are read by
 * `resolveConnection` from the invocation's own environment, not by Commander from
 * `process.env`, so in-process runs stay isolated.
 */
export function addGlobalOptions(program: Command): void {
  program
    .addOption(
      new Option(
        '--api-address <url>',
        'control plane REST API for this call, instead of the current context (env: STRAIT_API_ADDRESS)',
      ),
    )
    .addOption(new Option('--auth-token <token>', 'bearer token for this call (env: STRAIT_AUTH_TOKEN)'))
    .addOption(
      new Option('--config-file <path>', 'CLI configuration file (default $STRAIT_CONFIG or ~/.strait/config.yaml)'),
    )
    .addOption(
      new Option('--api-timeout-ms <ms>', 'limit per API request, in milliseconds (default 60000)').argParser(
        parsePositiveInt,
      ),
    );
}

/** The global flags as seen from any (sub)command. */
export function readGlobalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<{
    apiAddress?: string;
    authToken?: string;
    configFile?: string;
    apiTimeoutMs?: number;
  }>();
  return {
    ...(o.apiAddress === undefined ? {} : { apiAddress: o.apiAddress }),
    ...(o.authToken === undefined ? {} : { authToken: o.authToken }),
    ...(o.configFile === undefined ? {} : { configFile: o.configFile }),
    ...(o.apiTimeoutMs === undefined ? {} : { apiTimeoutMs: o.apiTimeoutMs }),
  };
}

/** Commander argument parser for a positive integer. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}
