/** Options of `strait dp run`, with their defaults. */
import type { ProxyRunOptions } from '@strait/shared';

/** Options of {@link runDataplane} and {@link startDataplane}: the shared proxy-runner options plus the Dataplane's. */
export interface DataplaneOptions extends ProxyRunOptions {
  /** The universal Dataplane, YAML or JSON, with `{{ name }}` placeholders. */
  readonly dataplaneFile: string;
  /** Values of the file's placeholders (`--dataplane-var name=value`). */
  readonly dataplaneVars?: ReadonlyMap<string, string>;
  /** File holding the dataplane token; without it the proxy registers with an empty token. */
  readonly dataplaneTokenFile?: string;
}

export { DEFAULT_DRAIN_TIME_MS } from '@strait/shared';
