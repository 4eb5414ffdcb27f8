import type { ResourceDescriptor, UniversalObject } from '@strait/shared';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import type { ResourceApi } from '../client/resource-api.js';
import { collect, parseKeyValues } from '../option-values.js';
import { addOutputOption, type OutputFormat } from '../output/output-format.js';
import { formatResource, formatResourceList } from '../output/print-resources.js';
import { resolveResourceType } from '../resource-type.js';

interface GetOptions {
  readonly mesh: string;
  readonly allMeshes?: boolean;
  readonly output: OutputFormat;
  readonly label?: string[];
}

/** Registers `strait get <type> [name] [-m mesh] [-A] [-o table|yaml|json] [--label k=v]...`. */
export function registerGetCommand(program: Command, ctx: CliContext): void {
  const get = program
    .command('get')
    .description('Show resources: one by name, or every resource of a type')
    .argument('<type>', 'resource type: a name, plural or alias (mesh, meshes, dataplanes, mtp, …)')
    .argument('[name]', 'name of one resource')
    .option('-m, --mesh <mesh>', 'mesh of mesh-scoped types', 'default')
    .option('-A, --all-meshes', 'list a mesh-scoped type in every mesh')
    .option('--label <key=value>', 'only resources with this label (repeatable, ANDed)', collect);
  addOutputOption(get).action(async (typed: string, name: string | undefined, opts: GetOptions, cmd: Command) => {
    const d = resolveResourceType(ctx.registry, typed);
    const labels = Object.fromEntries(parseKeyValues('--label', opts.label ?? []));
    const resources = await ctx.resources(cmd);
    const now = ctx.io.now();
    if (name !== undefined) {
      const obj = await resources.get(d, d.scope === 'mesh' ? { mesh: opts.mesh, name } : { name });
      ctx.io.out(formatResource(d, obj, opts.output, now));
      return;
    }
    const objects = await listResources(resources, d, opts, labels);
    ctx.io.out(formatResourceList(d, objects, opts.output, now));
  });
}

async function listResources(
  resources: ResourceApi,
  d: ResourceDescriptor,
  opts: GetOptions,
  labels: Record<string, string>,
): Promise<UniversalObject[]> {
  if (d.scope === 'global') return resources.list(d, { labels });
  if (opts.allMeshes !== true) return resources.list(d, { mesh: opts.mesh, labels });
  const meshes = await resources.meshNames();
  const perMesh = await Promise.all(meshes.map((mesh) => resources.list(d, { mesh, labels })));
  return perMesh.flat();
}
