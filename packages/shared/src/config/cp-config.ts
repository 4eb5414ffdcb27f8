import { type Static, Type } from '@sinclair/typebox';

const Port = Type.Integer({ minimum: 0, maximum: 65535 });
const Host = Type.String({ minLength: 1 });
/** Longest delay a Node timer takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Schema of a control plane's configuration (both roles; each role ignores what it does not serve). */
export const CpConfigSchema = Type.Object(
  {
    /** Where the CP keeps its SQLite store, generated certificates and the admin token. */
    dataDir: Type.String({
      minLength: 1,
      description: 'Directory for the store, generated TLS material and the admin token.',
    }),
    api: Type.Object(
      {
        host: Host,
        port: Port,
        localhostIsAdmin: Type.Boolean({
          description: 'Treat callers on loopback without a token as admin (as Kuma does).',
        }),
        maxBodyBytes: Type.Integer({ minimum: 1024 }),
      },
      { additionalProperties: false },
    ),
    diagnostics: Type.Object({ host: Host, port: Port }, { additionalProperties: false }),
    kds: Type.Object(
      {
        host: Host,
        port: Port,
        /** Each side of each KDS stream sends a heartbeat this often (both CPs). */
        heartbeatIntervalMs: Type.Integer({ minimum: 1, maximum: MAX_TIMER_MS }),
        /**
         * Nothing heard from the peer (or the peer not reading) for this long closes a KDS stream
         * as stalled, and the zone dials again: a stall is noticed within timeout + interval.
         * At least twice `heartbeatIntervalMs` (checked when loading).
         */
        heartbeatTimeoutMs: Type.Integer({ minimum: 2, maximum: MAX_TIMER_MS }),
      },
      { additionalProperties: false },
    ),
    xds: Type.Object({ host: Host, port: Port }, { additionalProperties: false }),
    store: Type.Object(
      {
        type: Type.Union([Type.Literal('sqlite'), Type.Literal('memory')]),
        /** SQLite file; default `<dataDir>/strait.db`. */
        path: Type.Optional(Type.String({ minLength: 1 })),
      },
      { additionalProperties: false },
    ),
    zone: Type.Object(
      {
        /** This zone's name (zone CP only). */
        name: Type.String({ minLength: 1, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }),
      },
      { additionalProperties: false },
    ),
    global: Type.Object(
      {
        /** KDS address of the global CP, e.g. `grpcs://global.example:5685`; unset for a standalone zone. */
        address: Type.Optional(Type.String({ pattern: '^grpcs?://[^/]+:[0-9]+$' })),
        caFile: Type.Optional(Type.String({ minLength: 1 })),
        tlsSkipVerify: Type.Boolean(),
        zoneTokenFile: Type.Optional(Type.String({ minLength: 1 })),
      },
      { additionalProperties: false },
    ),
    tls: Type.Object(
      {
        certFile: Type.Optional(Type.String({ minLength: 1 })),
        keyFile: Type.Optional(Type.String({ minLength: 1 })),
      },
      { additionalProperties: false },
    ),
    defaults: Type.Object(
      {
        /** Create mesh `default` on first start. */
        createDefaultMesh: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
    log: Type.Object(
      { level: Type.Union(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].map((l) => Type.Literal(l))) },
      { additionalProperties: false },
    ),
    /** How long a graceful shutdown may take before the process exits anyway. */
    shutdownTimeoutMs: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** A validated, frozen control-plane configuration. */
export type CpConfig = Static<typeof CpConfigSchema>;

/** Which control plane a configuration is for. */
export type CpRole = 'global' | 'zone';

/** The defaults of every setting (ports as DESIGN.md lists them). */
export function defaultCpConfig(role: CpRole): CpConfig {
  return {
    dataDir: `.strait/${role === 'global' ? 'global-cp' : 'zone-cp'}`,
    api: { host: '0.0.0.0', port: 5681, localhostIsAdmin: true, maxBodyBytes: 4 * 1024 * 1024 },
    diagnostics: { host: '0.0.0.0', port: 5680 },
    kds: { host: '0.0.0.0', port: 5685, heartbeatIntervalMs: 10_000, heartbeatTimeoutMs: 30_000 },
    xds: { host: '0.0.0.0', port: 5678 },
    store: { type: 'sqlite' },
    zone: { name: 'zone-1' },
    global: { tlsSkipVerify: false },
    tls: {},
    defaults: { createDefaultMesh: true },
    log: { level: 'info' },
    shutdownTimeoutMs: 10_000,
  };
}
