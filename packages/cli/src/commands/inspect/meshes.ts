import type { Command } from 'commander';
import type { CliContext } from '../../cli-context.js';
import type { ApiClient } from '../../client/api-client.js';
import { MESHES_PATH } from '../../client/resource-paths.js';
import { formatAge } from '../../output/age.js';
import { addOutputOption, type OutputFormat } from '../../output/output-format.js';
import { MESH_COLUMNS } from '../../output/resource-columns.js';
import { fieldAt, textAt } from '../../output/universal-fields.js';
import { type OverviewColumn, printOverviews } from './overview-table.js';

/** Registers `strait inspect meshes`: every mesh with its backends and how many dataplanes it has. */
export function registerInspectMeshes(inspect: Command, ctx: CliContext): void {
  const cmd = inspect.command('meshes').description('Overview of every mesh: backends and dataplane counts');
  addOutputOption(cmd).action(async (opts: { output: OutputFormat }, command: Command) => {
    const client = await ctx.client(command);
    const meshes = await client.listAll(MESHES_PATH);
    const counts = await Promise.all(meshes.map((m) => dataplaneCount(client, textAt(m, ['name']))));
    const dataplanes = new Map(meshes.map((m, i) => [m, counts[i] ?? '-']));
    const columns: OverviewColumn[] = [
      { header: 'NAME', cell: (m) => textAt(m, ['name']) },
      ...MESH_COLUMNS.map((c) => ({
        header: c.header,
        cell: (m: unknown, now: Date) => c.cell(m as Record<string, unknown>, m as Record<string, unknown>, now),
      })),
      { header: 'DATAPLANES', cell: (m) => dataplanes.get(m) ?? '-' },
      { header: 'AGE', cell: (m, now) => formatAge(fieldAt(m, ['creationTime']) as string | undefined, now) },
    ];
    printOverviews(ctx.io, opts.output, columns, meshes);
  });
}

/** The `total` of a one-item page of the mesh's dataplanes: a count without fetching them all. */
async function dataplaneCount(client: ApiClient, mesh: string): Promise<string> {
  const page = await client.get(`${MESHES_PATH}/${encodeURIComponent(mesh)}/dataplanes`, [['size', '1']]);
  const total = fieldAt(page, ['total']);
  return typeof total === 'number' ? String(total) : '-';
}
