/** Options of `strait zone-ingress run`, with their defaults. */
import type { Logger } from '@strait/shared';

/** Options of {@link runZoneIngress} and {@link startZoneIngress}. */
export interface ZoneIngressOptions {
  /** The zone CP's bootstrap server, `https://host[:port]` (port 5678 when omitted). */
  readonly cpAddress: string;
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
  /** PEM CA bundle of the CP's certificate; the system trust store when unset. */
  readonly caCertFile?: string;
  /** The Envoy binary; else `ENVOY_BIN`, else `envoy` on `PATH`. */
  readonly envoyBin?: string;
  /** Envoy admin port on loopback; set in the ZoneIngress (`networking.admin.port`) and the bootstrap. */
  readonly adminPort?: number;
  /** How long listeners drain on shutdown; default {@link DEFAULT_DRAIN_TIME_MS}. */
  readonly drainTimeMs?: number;
  /** Where the bootstrap is written; default a fresh temporary directory, removed on exit. */
  readonly workDir?: string;
  /** Envoy worker threads; default 2. */
  readonly concurrency?: number;
  /** Limit per request to the CP; default 10000. */
  readonly cpRequestTimeoutMs?: number;
  /** Attempts at `/bootstrap` while the CP is unreachable or failing (5xx); default 10. */
  readonly bootstrapMaxAttempts?: number;
  /** Delay before the first retry of a CP request, doubled per retry up to 10 s; default 500. */
  readonly cpRetryBackoffMs?: number;
  /** How long a whole graceful shutdown may take before the process exits 1; default drain time + 30000. */
  readonly shutdownTimeoutMs?: number;
  /** Process logger; default JSON lines on stdout with `role: zone-ingress`. */
  readonly logger?: Logger;
  /** Environment for `ENVOY_BIN` and `PATH`; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Where the ingress listens by default (Kuma's). */
export const DEFAULT_INGRESS_PORT = 10_001;

/** Default drain time on shutdown, as kuma-dp's. */
export const DEFAULT_DRAIN_TIME_MS = 30_000;
