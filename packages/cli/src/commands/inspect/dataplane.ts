import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { CliContext } from '../../cli-context.js';
import { MESHES_PATH } from '../../client/resource-paths.js';
import { usageError } from '../../usage-error.js';

const TYPES: Readonly<Record<string, string>> = { config: 'xds', policies: 'policies' };

/**
 * Registers `strait inspect dataplane NAME --type config|policies`: the Envoy configuration the
 * zone CP generates for the proxy (private keys redacted), or the policies that match it.
 */
export function registerInspectDataplane(inspect: Command, ctx: CliContext): void {
  inspect
    .command('dataplane')
    .description('What the control plane computed for one dataplane: its Envoy config or matched policies')
    .argument('<name>', 'name of the dataplane')
    .option('-m, --mesh <mesh>', 'mesh of the dataplane', 'default')
    .option('--type <type>', 'config or policies', 'config')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .action(async (name: string, opts: { mesh: string; type: string; output: string }, command: Command) => {
      const path = TYPES[opts.type];
      if (path === undefined) throw usageError(`--type must be config or policies, not "${opts.type}"`);
      if (opts.output !== 'yaml' && opts.output !== 'json')
        throw usageError(`-o must be yaml or json, not "${opts.output}"`);
      const client = await ctx.client(command);
      const body = await client.get(
        `${MESHES_PATH}/${encodeURIComponent(opts.mesh)}/dataplanes/${encodeURIComponent(name)}/${path}`,
      );
      ctx.io.out(opts.output === 'json' ? `${JSON.stringify(body, null, 2)}\n` : stringify(body));
    });
}
