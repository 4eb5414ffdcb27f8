import type { Command } from 'commander';
import type { CliContext } from '../../cli-context.js';
import { addOutputOption, type OutputFormat } from '../../output/output-format.js';
import { textAt } from '../../output/universal-fields.js';
import { connectionColumns, latestVersionColumn } from './connection-columns.js';
import { type OverviewColumn, printOverviews } from './overview-table.js';

const INSIGHT = ['zoneInsight'];

/** Columns of `inspect zones`, over `ZoneOverview` items. */
const COLUMNS: readonly OverviewColumn[] = [
  { header: 'NAME', cell: (z) => textAt(z, ['name']) },
  ...connectionColumns(INSIGHT),
  latestVersionColumn('ZONE-CP VERSION', INSIGHT, ['version', 'kumaCp', 'version']),
];

/** Registers `strait inspect zones` (global CP): each zone with its KDS connection status. */
export function registerInspectZones(inspect: Command, ctx: CliContext): void {
  const cmd = inspect.command('zones').description('Overview of every zone: online/offline, KDS updates');
  addOutputOption(cmd).action(async (opts: { output: OutputFormat }, command: Command) => {
    const items = await (await ctx.client(command)).listAll('/zones+insights');
    printOverviews(ctx.io, opts.output, COLUMNS, items);
  });
}
