import type { Command } from 'commander';
import type { CliContext } from '../../cli-context.js';
import { addOutputOption, type OutputFormat } from '../../output/output-format.js';
import { fieldAt, hostPort, textAt } from '../../output/universal-fields.js';
import { connectionColumns } from './connection-columns.js';
import { type OverviewColumn, printOverviews } from './overview-table.js';

/** Columns of `inspect zoneingresses`, over `ZoneIngressOverview` items. */
const COLUMNS: readonly OverviewColumn[] = [
  { header: 'NAME', cell: (zi) => textAt(zi, ['name']) },
  { header: 'ZONE', cell: (zi) => textAt(zi, ['zoneIngress', 'zone']) },
  {
    header: 'ADDRESS',
    cell: (zi) =>
      hostPort(
        fieldAt(zi, ['zoneIngress', 'networking', 'address']),
        fieldAt(zi, ['zoneIngress', 'networking', 'port']),
      ),
  },
  {
    header: 'ADVERTISED ADDRESS',
    cell: (zi) =>
      hostPort(
        fieldAt(zi, ['zoneIngress', 'networking', 'advertisedAddress']),
        fieldAt(zi, ['zoneIngress', 'networking', 'advertisedPort']),
      ),
  },
  ...connectionColumns(['zoneIngressInsight']),
];

/** Registers `strait inspect zoneingresses`: each zone ingress with its connection status. */
export function registerInspectZoneIngresses(inspect: Command, ctx: CliContext): void {
  const cmd = inspect
    .command('zoneingresses')
    .alias('zone-ingresses')
    .description('Overview of every zone ingress: addresses, online/offline, xDS updates');
  addOutputOption(cmd).action(async (opts: { output: OutputFormat }, command: Command) => {
    const items = await (await ctx.client(command)).listAll('/zoneingresses+insights');
    printOverviews(ctx.io, opts.output, COLUMNS, items);
  });
}
