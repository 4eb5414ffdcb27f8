import { isStraitError, type Logger, type ResourceStore, StraitError } from '@strait/shared';
import { isZoneEnabled } from './disabled-zones.js';

/** Admits zones on KDS: creates the Zone resource on first connect, refuses disabled zones. */
export interface ZoneRegistry {
  /** Ensures `Zone <name>` exists; throws `Forbidden` when it is disabled (`enabled: false`). */
  admit(zone: string): Promise<void>;
  /** Whether the zone may take part in sync (exists and is not disabled). */
  isEnabled(zone: string): Promise<boolean>;
}

/** Creates the zone registry of a global CP. */
export function createZoneRegistry(store: ResourceStore, logger: Logger): ZoneRegistry {
  const log = logger.child({ component: 'zone-registry' });
  return {
    async admit(zone) {
      const existing = await store.get({ type: 'Zone', name: zone });
      if (existing === undefined) {
        try {
          await store.create({ type: 'Zone', name: zone, labels: {}, spec: { enabled: true } });
          log.info({ zone }, 'zone registered on first connect');
        } catch (err) {
          if (!isStraitError(err, 'AlreadyExists')) throw err;
        }
        return;
      }
      if (!isZoneEnabled(existing.spec)) {
        throw new StraitError('Forbidden', `zone "${zone}" is disabled (Zone ${zone} has enabled: false)`);
      }
    },
    async isEnabled(zone) {
      const z = await store.get({ type: 'Zone', name: zone });
      return z !== undefined && isZoneEnabled(z.spec);
    },
  };
}
