/**
 * Where each setting can come from besides the YAML file: one row per setting, naming its
 * dotted path in the config, its environment variable and its CLI flag. Loading, `--help`
 * and the README table are all driven by this list.
 */

/**
 * How a raw string from the environment or a flag becomes a config value. `duration` is a Go
 * duration (`500ms`, `2s`, `1m30s`) or a bare integer of milliseconds, stored as milliseconds.
 */
export type ValueKind = 'string' | 'integer' | 'boolean' | 'duration';

/** One overridable setting. */
export interface ConfigSource {
  /** Dotted path in the config object, e.g. `api.port`. */
  readonly path: string;
  readonly env: string;
  /** Long flag without dashes, e.g. `api-port`. */
  readonly flag: string;
  readonly kind: ValueKind;
  readonly description: string;
}

/** Every setting that an environment variable or flag may override. */
export const CONFIG_SOURCES: readonly ConfigSource[] = [
  { path: 'dataDir', env: 'STRAIT_DATA_DIR', flag: 'data-dir', kind: 'string', description: 'data directory' },
  { path: 'api.host', env: 'STRAIT_API_HOST', flag: 'api-host', kind: 'string', description: 'REST API bind address' },
  { path: 'api.port', env: 'STRAIT_API_PORT', flag: 'api-port', kind: 'integer', description: 'REST API port' },
  {
    path: 'api.localhostIsAdmin',
    env: 'STRAIT_API_LOCALHOST_IS_ADMIN',
    flag: 'api-localhost-is-admin',
    kind: 'boolean',
    description: 'loopback callers without a token are admins',
  },
  {
    path: 'diagnostics.host',
    env: 'STRAIT_DIAGNOSTICS_HOST',
    flag: 'diagnostics-host',
    kind: 'string',
    description: 'diagnostics bind address',
  },
  {
    path: 'diagnostics.port',
    env: 'STRAIT_DIAGNOSTICS_PORT',
    flag: 'diagnostics-port',
    kind: 'integer',
    description: 'diagnostics port (/ready, /healthy, /metrics)',
  },
  { path: 'kds.host', env: 'STRAIT_KDS_HOST', flag: 'kds-host', kind: 'string', description: 'KDS bind address' },
  {
    path: 'kds.port',
    env: 'STRAIT_KDS_PORT',
    flag: 'kds-port',
    kind: 'integer',
    description: 'KDS gRPC port (global)',
  },
  {
    path: 'kds.heartbeatIntervalMs',
    env: 'STRAIT_KDS_HEARTBEAT_INTERVAL',
    flag: 'kds-heartbeat-interval',
    kind: 'duration',
    description: 'KDS heartbeat interval on each stream (both CPs), e.g. 10s',
  },
  {
    path: 'kds.heartbeatTimeoutMs',
    env: 'STRAIT_KDS_HEARTBEAT_TIMEOUT',
    flag: 'kds-heartbeat-timeout',
    kind: 'duration',
    description: 'KDS silence after which a stream is closed as stalled (>= 2x the interval), e.g. 30s',
  },
  { path: 'xds.host', env: 'STRAIT_XDS_HOST', flag: 'xds-host', kind: 'string', description: 'xDS bind address' },
  { path: 'xds.port', env: 'STRAIT_XDS_PORT', flag: 'xds-port', kind: 'integer', description: 'xDS/ADS port (zone)' },
  { path: 'store.type', env: 'STRAIT_STORE_TYPE', flag: 'store-type', kind: 'string', description: 'sqlite or memory' },
  { path: 'store.path', env: 'STRAIT_STORE_PATH', flag: 'store-path', kind: 'string', description: 'SQLite file' },
  { path: 'zone.name', env: 'STRAIT_ZONE_NAME', flag: 'zone', kind: 'string', description: 'zone name (zone CP)' },
  {
    path: 'global.address',
    env: 'STRAIT_GLOBAL_ADDRESS',
    flag: 'global-address',
    kind: 'string',
    description: 'global KDS address, grpcs://host:port',
  },
  {
    path: 'global.caFile',
    env: 'STRAIT_GLOBAL_CA_FILE',
    flag: 'global-ca-file',
    kind: 'string',
    description: "CA that signs the global's KDS certificate",
  },
  {
    path: 'global.tlsSkipVerify',
    env: 'STRAIT_GLOBAL_TLS_SKIP_VERIFY',
    flag: 'global-tls-skip-verify',
    kind: 'boolean',
    description: "do not verify the global's certificate",
  },
  {
    path: 'global.zoneTokenFile',
    env: 'STRAIT_ZONE_TOKEN_FILE',
    flag: 'zone-token-file',
    kind: 'string',
    description: 'zone token presented on KDS',
  },
  {
    path: 'tls.certFile',
    env: 'STRAIT_TLS_CERT_FILE',
    flag: 'tls-cert-file',
    kind: 'string',
    description: 'server certificate (PEM)',
  },
  {
    path: 'tls.keyFile',
    env: 'STRAIT_TLS_KEY_FILE',
    flag: 'tls-key-file',
    kind: 'string',
    description: 'server key (PEM)',
  },
  {
    path: 'defaults.createDefaultMesh',
    env: 'STRAIT_DEFAULTS_CREATE_MESH',
    flag: 'create-default-mesh',
    kind: 'boolean',
    description: 'create mesh "default" on first start',
  },
  { path: 'log.level', env: 'STRAIT_LOG_LEVEL', flag: 'log-level', kind: 'string', description: 'log level' },
  {
    path: 'shutdownTimeoutMs',
    env: 'STRAIT_SHUTDOWN_TIMEOUT_MS',
    flag: 'shutdown-timeout-ms',
    kind: 'integer',
    description: 'graceful shutdown limit',
  },
];
