/**
 * Formats how long ago `time` was, the way kubectl and kumactl do: `45s`, `12m`, `3h`, `4d`,
 * `2y`. Returns `-` for a missing or unparsable time (a subscription that never connected).
 */
export function formatAge(time: string | undefined, now: Date): string {
  if (time === undefined || time === '') return '-';
  const at = Date.parse(time);
  if (Number.isNaN(at)) return '-';
  return formatDurationMs(now.getTime() - at);
}

/** A duration in its largest whole unit: `0s`…`59s`, `1m`…`59m`, `1h`…`23h`, `1d`…`364d`, then years. */
export function formatDurationMs(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 365) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}
