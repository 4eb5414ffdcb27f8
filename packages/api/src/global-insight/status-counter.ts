/** Kuma's `FullStatus`: counts by health. */
export interface FullStatus {
  total: number;
  online: number;
  offline: number;
  partiallyDegraded: number;
}

/** Kuma's `BaseStatus`. */
export interface BaseStatus {
  total: number;
  online: number;
}

/** Health of one proxy or service. */
export type Health = 'online' | 'offline' | 'partiallyDegraded';

export function emptyFullStatus(): FullStatus {
  return { total: 0, online: 0, offline: 0, partiallyDegraded: 0 };
}

export function count(status: FullStatus, health: Health): void {
  status.total++;
  status[health]++;
}

/** A service is online when all its instances are, offline when none is, degraded otherwise. */
export function combine(healths: readonly Health[]): Health {
  const online = healths.filter((h) => h === 'online').length;
  if (online === healths.length) return 'online';
  if (healths.every((h) => h === 'offline')) return 'offline';
  return 'partiallyDegraded';
}
