import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { CliContext } from '../../cli-context.js';
import { usageError } from '../../usage-error.js';

/**
 * Registers `strait inspect zoneingress NAME`: the Envoy configuration the zone CP generates for
 * one of its zone ingresses (one SNI filter chain per service and tag set, their clusters and
 * endpoints). Asked of the zone CP the ingress belongs to.
 */
export function registerInspectZoneIngress(inspect: Command, ctx: CliContext): void {
  inspect
    .command('zoneingress')
    .description('What the zone control plane generates for one of its zone ingresses: its Envoy config')
    .argument('<name>', 'name of the zone ingress')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .action(async (name: string, opts: { output: string }, command: Command) => {
      if (opts.output !== 'yaml' && opts.output !== 'json')
        throw usageError(`-o must be yaml or json, not "${opts.output}"`);
      const client = await ctx.client(command);
      const body = await client.get(`/zoneingresses/${encodeURIComponent(name)}/xds`);
      ctx.io.out(opts.output === 'json' ? `${JSON.stringify(body, null, 2)}\n` : stringify(body));
    });
}
