/**
 * The zones an operator disabled (`Zone.enabled: false`), kept current from the store's change
 * events. The KDS server cuts such a zone off and withholds what it synced up from every other
 * zone (its ingresses, its policies), until it is enabled again.
 */

import type { Logger, ResourceStore, ZoneSet } from '@strait/shared';

/** The Zone resource type. */
const ZONE_TYPE = 'Zone';

/** Whether a Zone's spec lets it take part in sync (absent `enabled` means enabled, as in Kuma). */
export function isZoneEnabled(spec: unknown): boolean {
  return (spec as { enabled?: unknown } | undefined)?.enabled !== false;
}

/** The disabled zones; `start` loads them, `close` stops following the store. */
export interface DisabledZones extends ZoneSet {
  start(): Promise<void>;
  close(): void;
}

/** Creates the set; listeners run synchronously after a Zone's state changed. */
export function createDisabledZones(store: ResourceStore, logger: Logger): DisabledZones {
  const log = logger.child({ component: 'disabled-zones' });
  const disabled = new Set<string>();
  const listeners = new Set<() => void>();
  /** Zones an event already told about: a listing that started earlier must not overwrite them. */
  const seen = new Set<string>();
  let unsubscribe: (() => void) | undefined;

  const set = (zone: string, isDisabled: boolean): boolean => {
    if (disabled.has(zone) === isDisabled) return false;
    if (isDisabled) disabled.add(zone);
    else disabled.delete(zone);
    return true;
  };

  const notify = (): void => {
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (err) {
        log.error({ err }, 'disabled-zones listener failed');
      }
    }
  };

  return {
    async start() {
      unsubscribe ??= store.subscribe((event) => {
        if (event.key.type !== ZONE_TYPE) return;
        const zone = event.key.name;
        seen.add(zone);
        const isDisabled = event.op !== 'delete' && !isZoneEnabled(event.resource.spec);
        if (!set(zone, isDisabled)) return;
        log.info(
          { zone, disabled: isDisabled },
          isDisabled ? 'zone disabled: its resources are withheld' : 'zone enabled',
        );
        notify();
      });
      const { items } = await store.list({ type: ZONE_TYPE });
      for (const zone of items) if (!seen.has(zone.meta.name)) set(zone.meta.name, !isZoneEnabled(zone.spec));
    },
    close() {
      unsubscribe?.();
      unsubscribe = undefined;
      listeners.clear();
    },
    has: (zone) => disabled.has(zone),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
