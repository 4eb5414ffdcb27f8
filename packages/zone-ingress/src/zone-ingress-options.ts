/** Options of `strait zone-ingress run`, with their defaults. */
import type { ProxyRunOptions } from '@strait/shared';

/** Options of {@link runZoneIngress} and {@link startZoneIngress}: the shared proxy-runner options plus the ingress's. */
export interface ZoneIngressOptions extends ProxyRunOptions {
  /** File holding a zone token of this zone with scope `ingress` (required: the CP refuses the ingress without one). */
  readonly zoneTokenFile: string;
  /** Name of the ZoneIngress; default the host name (lower-cased, other characters than `[a-z0-9.-]` as `-`). */
  readonly name?: string;
  /** Address the ingress listener binds; default the host's first non-loopback IPv4 address (127.0.0.1 when none). */
  readonly address?: string;
  /** Port of the ingress listener; default {@link DEFAULT_INGRESS_PORT}. */
  readonly port?: number;
  /** Address other zones dial; default `address` (required when `address` is 0.0.0.0). */
  readonly advertisedAddress?: string;
  /** Port other zones dial; default `port`. */
  readonly advertisedPort?: number;
}

/** Where the ingress listens by default (Kuma's). */
export const DEFAULT_INGRESS_PORT = 10_001;

export { DEFAULT_DRAIN_TIME_MS } from '@strait/shared';
