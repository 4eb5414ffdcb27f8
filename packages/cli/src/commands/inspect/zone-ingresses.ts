import type { Command } from 'commander';
import type { CliContext } from '../../cli-context.js';
import { addOutputOption, type OutputFormat } from '../../output/output-format.js';
import { fieldAt, hostPort, textAt } from '../../output/universal-fields.js';
import { connectionColumns } from './connection-columns.js';
import { type OverviewColumn, printOverviews } from './overview-table.js';

/**
 * The AVAILABLE SERVICES cell: `<service>:<instances>` per service (instances summed over its
 * tag sets), prefixed by `<mesh>/` outside mesh `default`; `-` when the ingress exposes nothing.
 */
export function availableServicesCell(availableServices: unknown): string {
  if (!Array.isArray(availableServices)) return '-';
  const counts = new Map<string, number>();
  for (const entry of availableServices) {
    const service = fieldAt(entry, ['tags', 'kuma.io/service']);
    if (typeof service !== 'string') continue;
    const mesh = fieldAt(entry, ['mesh']);
    const instances = fieldAt(entry, ['instances']);
    const key = typeof mesh === 'string' && mesh !== 'default' ? `${mesh}/${service}` : service;
    counts.set(key, (counts.get(key) ?? 0) + (typeof instances === 'number' ? instances : 1));
  }
  if (counts.size === 0) return '-';
  return [...counts.keys()]
    .sort()
    .map((k) => `${k}:${counts.get(k)}`)
    .join(', ');
}

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
  {
    header: 'AVAILABLE SERVICES',
    cell: (zi) => availableServicesCell(fieldAt(zi, ['zoneIngress', 'availableServices'])),
  },
];

/** Registers `strait inspect zoneingresses`: each zone ingress with its connection status. */
export function registerInspectZoneIngresses(inspect: Command, ctx: CliContext): void {
  const cmd = inspect
    .command('zoneingresses')
    .alias('zone-ingresses')
    .description('Overview of every zone ingress: addresses, online/offline, xDS updates, available services');
  addOutputOption(cmd).action(async (opts: { output: OutputFormat }, command: Command) => {
    const items = await (await ctx.client(command)).listAll('/zoneingresses+insights');
    printOverviews(ctx.io, opts.output, COLUMNS, items);
  });
}
