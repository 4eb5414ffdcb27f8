import { formatKey } from '@strait/shared';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { resolveResourceType } from '../resource-type.js';

/** Registers `strait delete <type> <name> [-m mesh]`. */
export function registerDeleteCommand(program: Command, ctx: CliContext): void {
  program
    .command('delete')
    .description('Delete one resource')
    .argument('<type>', 'resource type: a name, plural or alias')
    .argument('<name>', 'name of the resource')
    .option('-m, --mesh <mesh>', 'mesh of mesh-scoped types', 'default')
    .action(async (typed: string, name: string, opts: { mesh: string }, cmd: Command) => {
      const d = resolveResourceType(ctx.registry, typed);
      const key = d.scope === 'mesh' ? { type: d.name, mesh: opts.mesh, name } : { type: d.name, name };
      await (await ctx.resources(cmd)).delete(d, key);
      ctx.io.out(`deleted ${formatKey(key)}\n`);
    });
}
