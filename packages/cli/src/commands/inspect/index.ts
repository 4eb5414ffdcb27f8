import type { Command } from 'commander';
import type { CliContext } from '../../cli-context.js';
import { registerInspectDataplane } from './dataplane.js';
import { registerInspectDataplanes } from './dataplanes.js';
import { registerInspectMeshes } from './meshes.js';
import { registerInspectZoneIngress } from './zone-ingress.js';
import { registerInspectZoneIngresses } from './zone-ingresses.js';
import { registerInspectZones } from './zones.js';

/** Registers one `strait inspect <what>` view. */
type InspectView = (inspect: Command, ctx: CliContext) => void;

/**
 * The inspect views, one file each. A new view (`inspect dataplane NAME --type config|policies`)
 * is a new file here and one entry in this list.
 */
const VIEWS: readonly InspectView[] = [
  registerInspectMeshes,
  registerInspectDataplanes,
  registerInspectDataplane,
  registerInspectZones,
  registerInspectZoneIngresses,
  registerInspectZoneIngress,
];

/** Registers `strait inspect` and its views: what the control plane computed or observed, not what was applied. */
export function registerInspectCommand(program: Command, ctx: CliContext): void {
  const inspect = program
    .command('inspect')
    .description('Show what the control plane observed: connection status, counts, xDS updates');
  for (const view of VIEWS) view(inspect, ctx);
}
