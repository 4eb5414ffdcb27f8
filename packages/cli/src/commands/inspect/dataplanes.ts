import type { Command } from 'commander';
import type { CliContext } from '../../cli-context.js';
import { MESHES_PATH } from '../../client/resource-paths.js';
import { addOutputOption, type OutputFormat } from '../../output/output-format.js';
import { dataplaneServices, fieldAt, textAt } from '../../output/universal-fields.js';
import { connectionColumns, latestVersionColumn } from './connection-columns.js';
import { type OverviewColumn, printOverviews } from './overview-table.js';

const INSIGHT = ['dataplaneInsight'];

/** Columns of `inspect dataplanes`, over `DataplaneOverview` items. */
const COLUMNS: readonly OverviewColumn[] = [
  { header: 'MESH', cell: (dp) => textAt(dp, ['mesh']) },
  { header: 'NAME', cell: (dp) => textAt(dp, ['name']) },
  { header: 'SERVICES', cell: (dp) => dataplaneServices(fieldAt(dp, ['dataplane', 'networking'])) },
  ...connectionColumns(INSIGHT),
  latestVersionColumn('DP VERSION', INSIGHT, ['version', 'kumaDp', 'version']),
  latestVersionColumn('ENVOY VERSION', INSIGHT, ['version', 'envoy', 'version']),
];

/** Registers `strait inspect dataplanes [-m mesh]`: each proxy with its connection status. */
export function registerInspectDataplanes(inspect: Command, ctx: CliContext): void {
  const cmd = inspect
    .command('dataplanes')
    .description('Overview of the dataplanes of a mesh: services, online/offline, xDS updates')
    .option('-m, --mesh <mesh>', 'mesh', 'default');
  addOutputOption(cmd).action(async (opts: { mesh: string; output: OutputFormat }, command: Command) => {
    const client = await ctx.client(command);
    const items = await client.listAll(`${MESHES_PATH}/${encodeURIComponent(opts.mesh)}/dataplanes+insights`);
    printOverviews(ctx.io, opts.output, COLUMNS, items);
  });
}
