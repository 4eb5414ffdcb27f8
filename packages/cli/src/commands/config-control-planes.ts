import { StraitError } from '@strait/shared';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { createApiClient } from '../client/api-client.js';
import {
  addControlPlane,
  type CliConfig,
  type ControlPlaneEntry,
  checkAddress,
  currentControlPlane,
  removeControlPlane,
  switchControlPlane,
} from '../config/cli-config.js';
import { loadCliConfig, saveCliConfig } from '../config/config-file.js';
import { clientOptionsFor } from '../config/connection.js';
import { readGlobalOptions } from '../global-options.js';
import { renderTable } from '../output/table.js';
import { usageError } from '../usage-error.js';

interface AddOptions {
  readonly name: string;
  readonly address: string;
  readonly authToken?: string;
  readonly authTokenFile?: string;
  readonly caCertFile?: string;
  readonly skipVerify?: boolean;
  readonly overwrite?: boolean;
  readonly check: boolean;
}

/** Registers `strait config control-planes add|list|switch|remove`. */
export function registerConfigCommand(program: Command, ctx: CliContext): void {
  const config = program.command('config').description('Manage the CLI configuration');
  const cps = config
    .command('control-planes')
    .description('Manage the control planes the CLI talks to (the current one is used by every command)');

  cps
    .command('add')
    .description('Add a control plane and make it current')
    .requiredOption('--name <name>', 'name of the control plane')
    .requiredOption('--address <url>', 'URL of its REST API, e.g. https://cp.example:5682')
    .option('--auth-token <token>', 'bearer token (stored in the config file)')
    .option('--auth-token-file <path>', 'file to read the bearer token from on every call')
    .option('--ca-cert-file <path>', 'PEM CA the server certificate must chain to')
    .option('--skip-verify', 'accept any server certificate')
    .option('--overwrite', 'replace a control plane of the same name')
    .option('--no-check', 'save without checking that the address answers')
    .action(async (_opts: AddOptions, cmd: Command) => {
      // With globals: the root's own --auth-token consumes the flag wherever it appears.
      const opts = cmd.optsWithGlobals<AddOptions>();
      const entry = entryFromFlags(opts);
      const path = ctx.configPath(cmd);
      const next = addControlPlane(await loadCliConfig(path), entry, opts.overwrite === true);
      if (opts.check) await checkReachable(entry, cmd);
      await saveCliConfig(path, next);
      ctx.io.out(`added control plane "${entry.name}" (${entry.address}); it is now current\n`);
    });

  cps
    .command('list')
    .description('List the control planes; * marks the current one')
    .action(async (_opts: unknown, cmd: Command) => {
      const cfg = await loadCliConfig(ctx.configPath(cmd));
      ctx.io.out(renderControlPlanes(cfg));
    });

  cps
    .command('switch')
    .description('Make another control plane current')
    .requiredOption('--name <name>', 'name of the control plane')
    .action(async (opts: { name: string }, cmd: Command) => {
      await updateConfig(ctx, cmd, (cfg) => switchControlPlane(cfg, opts.name));
      ctx.io.out(`switched to control plane "${opts.name}"\n`);
    });

  cps
    .command('remove')
    .description('Forget a control plane')
    .requiredOption('--name <name>', 'name of the control plane')
    .action(async (opts: { name: string }, cmd: Command) => {
      const next = await updateConfig(ctx, cmd, (cfg) => removeControlPlane(cfg, opts.name));
      ctx.io.out(`removed control plane "${opts.name}"; current is "${currentControlPlane(next).name}"\n`);
    });
}

function entryFromFlags(opts: AddOptions): ControlPlaneEntry {
  const problem = checkAddress(opts.address);
  if (problem !== undefined) throw usageError(`--address ${opts.address}: ${problem}`);
  if (opts.authToken !== undefined && opts.authTokenFile !== undefined) {
    throw usageError('--auth-token and --auth-token-file cannot be used together');
  }
  return {
    name: opts.name,
    address: opts.address.replace(/\/+$/, ''),
    ...(opts.authToken === undefined ? {} : { authToken: opts.authToken }),
    ...(opts.authTokenFile === undefined ? {} : { authTokenFile: opts.authTokenFile }),
    ...(opts.caCertFile === undefined ? {} : { caCertFile: opts.caCertFile }),
    ...(opts.skipVerify === true ? { skipVerify: true } : {}),
  };
}

/** `GET /` with the entry's own token and TLS settings: the address must be a control plane that answers. */
async function checkReachable(entry: ControlPlaneEntry, cmd: Command): Promise<void> {
  const { name: _name, ...connection } = entry;
  const options = await clientOptionsFor(
    { ...connection, source: `control plane "${entry.name}"` },
    readGlobalOptions(cmd),
  );
  try {
    await createApiClient(options).get('/');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new StraitError('Unavailable', `${message} (pass --no-check to save it anyway)`, { cause: err });
  }
}

async function updateConfig(ctx: CliContext, cmd: Command, change: (cfg: CliConfig) => CliConfig): Promise<CliConfig> {
  const path = ctx.configPath(cmd);
  const next = change(await loadCliConfig(path));
  await saveCliConfig(path, next);
  return next;
}

function renderControlPlanes(cfg: CliConfig): string {
  const current = currentControlPlane(cfg);
  const entries = cfg.controlPlanes.some((cp) => cp.name === current.name)
    ? cfg.controlPlanes
    : [current, ...cfg.controlPlanes];
  return renderTable(
    ['ACTIVE', 'NAME', 'ADDRESS'],
    entries.map((cp) => [cp.name === current.name ? '*' : '', cp.name, cp.address]),
  );
}
