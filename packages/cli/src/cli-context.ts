import type { ResourceRegistry } from '@strait/shared';
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { type ApiClient, createApiClient } from './client/api-client.js';
import type { HttpTransport } from './client/http-transport.js';
import { createResourceApi, type ResourceApi } from './client/resource-api.js';
import { configFilePath, loadCliConfig } from './config/config-file.js';
import { clientOptionsFor, resolveConnection } from './config/connection.js';
import { readGlobalOptions } from './global-options.js';

/** What every command is handed: the IO, the type registry and a way to reach the control plane. */
export interface CliContext {
  readonly io: CliIo;
  readonly registry: ResourceRegistry;
  /** The CLI configuration file this invocation reads and writes. */
  configPath(cmd: Command): string;
  /** A client for the control plane chosen by the global flags, the environment and the current context. */
  client(cmd: Command): Promise<ApiClient>;
  /** Resource CRUD over {@link CliContext.client}. */
  resources(cmd: Command): Promise<ResourceApi>;
}

/** Options of {@link createCliContext}. */
export interface CliContextOptions {
  readonly registry: ResourceRegistry;
  /** Replaces the network transport of every client (tests). */
  readonly transport?: HttpTransport;
}

/** Creates the context commands run in. */
export function createCliContext(io: CliIo, options: CliContextOptions): CliContext {
  const configPath = (cmd: Command): string => configFilePath(io.env, readGlobalOptions(cmd).configFile);
  const client = async (cmd: Command): Promise<ApiClient> => {
    const flags = readGlobalOptions(cmd);
    const connection = resolveConnection(flags, io.env, await loadCliConfig(configPath(cmd)));
    const clientOptions = await clientOptionsFor(connection, flags);
    return createApiClient(
      options.transport === undefined ? clientOptions : { ...clientOptions, transport: options.transport },
    );
  };
  return Object.freeze({
    io,
    registry: options.registry,
    configPath,
    client,
    resources: async (cmd: Command) => createResourceApi(await client(cmd)),
  });
}
