/** Options of `strait dp run`, with their defaults. */
import type { Logger } from '@strait/shared';

/** Options of {@link runDataplane} and {@link startDataplane}. */
export interface DataplaneOptions {
  /** The zone CP's bootstrap server, `https://host[:port]` (port 5678 when omitted). */
  readonly cpAddress: string;
  /** The universal Dataplane, YAML or JSON, with `{{ name }}` placeholders. */
  readonly dataplaneFile: string;
  /** Values of the file's placeholders (`--dataplane-var name=value`). */
  readonly dataplaneVars?: ReadonlyMap<string, string>;
  /** File holding the dataplane token; without it the proxy registers with an empty token. */
  readonly dataplaneTokenFile?: string;
  /** PEM CA bundle of the CP's certificate; the system trust store when unset. */
  readonly caCertFile?: string;
  /** The Envoy binary; else `ENVOY_BIN`, else `envoy` on `PATH`. */
  readonly envoyBin?: string;
  /** Envoy admin port on loopback; set in the Dataplane (`networking.admin.port`) and the bootstrap. */
  readonly adminPort?: number;
  /** How long listeners drain on shutdown; default 30000. */
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
  /** Process logger; default JSON lines on stdout with `role: dataplane`. */
  readonly logger?: Logger;
  /** Environment for `ENVOY_BIN` and `PATH`; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Default drain time on shutdown, as kuma-dp's. */
export const DEFAULT_DRAIN_TIME_MS = 30_000;
