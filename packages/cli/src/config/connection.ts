import { readFile } from 'node:fs/promises';
import { StraitError } from '@strait/shared';
import type { ApiClientOptions } from '../client/api-client.js';
import { type CliConfig, checkAddress, currentControlPlane } from './cli-config.js';

/** The global flags that choose and authenticate the control plane for one call. */
export interface ConnectionFlags {
  readonly apiAddress?: string;
  readonly authToken?: string;
  readonly apiTimeoutMs?: number;
}

/** How to reach the control plane, and from where that was decided (for messages). */
export interface Connection {
  readonly address: string;
  /** `--api-address`, `STRAIT_API_ADDRESS`, or `control plane "name"`. */
  readonly source: string;
  readonly authToken?: string;
  readonly authTokenFile?: string;
  readonly caCertFile?: string;
  readonly skipVerify?: boolean;
}

/**
 * Picks the control plane: `--api-address` over `STRAIT_API_ADDRESS` over the current
 * context. A token from `--auth-token` or `STRAIT_AUTH_TOKEN` wins over the context's. When the
 * address is overridden, the context's token and TLS settings are not used (they belong to
 * another server).
 */
export function resolveConnection(
  flags: ConnectionFlags,
  env: Readonly<Record<string, string | undefined>>,
  config: CliConfig,
): Connection {
  const token = nonEmpty(flags.authToken) ?? nonEmpty(env.STRAIT_AUTH_TOKEN);
  const flagAddress = nonEmpty(flags.apiAddress);
  const envAddress = nonEmpty(env.STRAIT_API_ADDRESS);
  const override =
    flagAddress !== undefined
      ? { address: flagAddress, source: '--api-address' }
      : envAddress !== undefined
        ? { address: envAddress, source: 'STRAIT_API_ADDRESS' }
        : undefined;
  if (override !== undefined) {
    const problem = checkAddress(override.address);
    if (problem !== undefined) throw new StraitError('Invalid', `${override.source} ${override.address}: ${problem}`);
    return token === undefined ? override : { ...override, authToken: token };
  }
  const cp = currentControlPlane(config);
  const { name: _name, ...rest } = cp;
  const connection: Connection = { ...rest, source: `control plane "${cp.name}"` };
  return token === undefined ? connection : { ...connection, authToken: token };
}

/** Turns a connection into client options, reading the token and CA files it names. */
export async function clientOptionsFor(connection: Connection, flags: ConnectionFlags): Promise<ApiClientOptions> {
  const authToken = connection.authToken ?? (await readOptionalFile(connection.authTokenFile, 'auth token'))?.trim();
  const caCertPem = await readOptionalFile(connection.caCertFile, 'CA certificate');
  return {
    baseUrl: connection.address,
    ...(authToken === undefined ? {} : { authToken }),
    ...(caCertPem === undefined ? {} : { caCertPem }),
    ...(connection.skipVerify === true ? { skipVerify: true } : {}),
    ...(flags.apiTimeoutMs === undefined ? {} : { requestTimeoutMs: flags.apiTimeoutMs }),
  };
}

async function readOptionalFile(path: string | undefined, what: string): Promise<string | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new StraitError('Invalid', `cannot read ${what} file ${path}: ${(err as Error).message}`, { cause: err });
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
