/**
 * The zones connected to this global, and their streams: one GlobalToZone and one ZoneToGlobal
 * per zone. A newer stream of the same kind replaces (closes) the older one, so two sessions
 * never write the same zone's copies at once. A zone counts as connected while any of its
 * streams is open, so a replacement does not flap it offline.
 */

import { status } from '@grpc/grpc-js';
import type { KdsSession, Logger } from '@strait/shared';
import type { KdsServerObserver, KdsZoneConnectionInfo } from './kds-server-options.js';

/** The two KDS streams. */
export type KdsStreamKind = 'global-to-zone' | 'zone-to-global';

interface ZoneEntry {
  readonly info: KdsZoneConnectionInfo;
  readonly sessions: Map<KdsStreamKind, KdsSession>;
}

/** Tracks zones and their sessions. */
export interface ZoneConnections {
  /** Registers a session, closing an older one of the same zone and kind. */
  open(zone: string, kind: KdsStreamKind, session: KdsSession, info: KdsZoneConnectionInfo): void;
  /** Forgets a session once it ended (no-op when it was replaced). */
  closed(zone: string, kind: KdsStreamKind, session: KdsSession): void;
  /** Closes every stream of one zone. */
  closeZone(zone: string, code: number, details: string): void;
  /** Closes every stream. */
  closeAll(code: number, details: string): void;
  /** Zones with at least one open stream. */
  zones(): readonly string[];
}

/** Creates the registry; `observer` hears zones come and go. */
export function createZoneConnections(observer: KdsServerObserver, log: Logger): ZoneConnections {
  const entries = new Map<string, ZoneEntry>();

  const notify = (name: 'onZoneConnected' | 'onZoneDisconnected', zone: string, info: KdsZoneConnectionInfo) => {
    try {
      observer[name]?.(zone, info);
    } catch (err) {
      log.error({ err, callback: name }, 'KDS observer callback failed');
    }
  };

  return {
    open(zone, kind, session, info) {
      let entry = entries.get(zone);
      if (entry === undefined) {
        entry = { info, sessions: new Map() };
        entries.set(zone, entry);
        log.info({ zone, instance: info.instance, version: info.version, peer: info.peer }, 'zone connected');
        notify('onZoneConnected', zone, info);
      }
      const older = entry.sessions.get(kind);
      entry.sessions.set(kind, session);
      older?.close(status.ABORTED, 'replaced by a newer stream from the same zone');
    },
    closed(zone, kind, session) {
      const entry = entries.get(zone);
      if (entry === undefined || entry.sessions.get(kind) !== session) return;
      entry.sessions.delete(kind);
      if (entry.sessions.size > 0) return;
      entries.delete(zone);
      log.info({ zone }, 'zone disconnected');
      notify('onZoneDisconnected', zone, entry.info);
    },
    closeZone(zone, code, details) {
      for (const session of [...(entries.get(zone)?.sessions.values() ?? [])]) session.close(code, details);
    },
    closeAll(code, details) {
      for (const zone of [...entries.keys()]) this.closeZone(zone, code, details);
    },
    zones: () => [...entries.keys()],
  };
}
