import { hostname } from 'node:os';
import { type Metadata, ServerCredentials } from '@grpc/grpc-js';
import { registerZoneTokenRoutes, STRAIT_VERSION, startCpCore } from '@strait/api';
import {
  type CpConfig,
  createMeshCaManager,
  createTokenIssuer,
  ensureServerTlsFiles,
  type Logger,
  StraitError,
  type TokenIssuer,
  type ZoneTokenClaims,
} from '@strait/shared';
import { createKdsServer } from './kds/index.js';
import { createMeshCaProvisioner } from './mesh-ca/mesh-ca-provisioner.js';
import { createZoneInsightWriter } from './zones/zone-insight-writer.js';
import { createZoneRegistry } from './zones/zone-registry.js';

/** Options of {@link startGlobalCp}. */
export interface StartGlobalCpOptions {
  readonly config: CpConfig;
  readonly logger: Logger;
}

/** A running global control plane. */
export interface RunningGlobalCp {
  readonly ports: { readonly api: number; readonly diagnostics: number; readonly kds: number };
  readonly adminTokenFile: string;
  /** PEM of the CA that signed the KDS certificate, when the CP generated it (give it to zones). */
  readonly caFile?: string;
  stop(): Promise<void>;
}

/** Mesh CAs live ten years (Kuma's default). */
const MESH_CA_VALID_FOR_MS = 10 * 365 * 24 * 3600 * 1000;

function bearer(metadata: Metadata): string {
  const value = metadata.get('authorization')[0];
  const m = typeof value === 'string' ? /^bearer\s+(\S+)$/i.exec(value.trim()) : null;
  if (m?.[1] === undefined)
    throw new StraitError('Unauthenticated', 'no zone token: start the zone CP with --zone-token-file');
  return m[1];
}

/**
 * Starts the global CP: the store of meshes and policies, the REST API (with `POST /tokens/zone`),
 * diagnostics, the mesh CAs (one trust root per mesh for every zone), and KDS over TLS: zones
 * authenticate with zone tokens, are registered on first connect, and their streams and
 * heartbeats are recorded as ZoneInsights.
 */
export async function startGlobalCp(options: StartGlobalCpOptions): Promise<RunningGlobalCp> {
  const { config } = options;
  const logger = options.logger.child({ role: 'global-cp' });
  let zoneTokens: TokenIssuer<ZoneTokenClaims> | undefined;
  const core = await startCpCore({
    role: 'global',
    config,
    logger,
    federated: false,
    routes: (app, { store }) => {
      zoneTokens = createTokenIssuer<ZoneTokenClaims>({
        store,
        kind: 'zone',
        logger: logger.child({ component: 'zone-tokens' }),
      });
      registerZoneTokenRoutes(app, zoneTokens);
    },
  });
  const stops: Array<() => Promise<void>> = [() => core.stop(), async () => zoneTokens?.close()];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch (err) {
        logger.error({ err }, 'error while stopping');
      }
    }
  };
  try {
    const { store, registry } = core;
    const caManager = createMeshCaManager({ store, logger, caValidForMs: MESH_CA_VALID_FOR_MS });
    stops.push(async () => caManager.close());
    const provisioner = createMeshCaProvisioner({ store, caManager, logger });
    await provisioner.start(new AbortController().signal);
    stops.push(() => provisioner.stop());

    const tls = await ensureServerTlsFiles({
      dataDir: config.dataDir,
      ...(config.tls.certFile === undefined ? {} : { certFile: config.tls.certFile }),
      ...(config.tls.keyFile === undefined ? {} : { keyFile: config.tls.keyFile }),
      hostnames: [hostname()],
      logger,
    });
    const zones = createZoneRegistry(store, logger);
    const insights = createZoneInsightWriter({ store, logger, instanceId: core.instanceId });
    await insights.start(new AbortController().signal);
    stops.push(() => insights.stop());
    const kds = createKdsServer({
      store,
      registry,
      logger,
      host: config.kds.host,
      port: config.kds.port,
      heartbeatIntervalMs: config.kds.heartbeatIntervalMs,
      heartbeatTimeoutMs: config.kds.heartbeatTimeoutMs,
      credentials: ServerCredentials.createSsl(
        null,
        [{ cert_chain: Buffer.from(tls.certPem), private_key: Buffer.from(tls.keyPem) }],
        false,
      ),
      async authenticate(metadata) {
        if (zoneTokens === undefined) throw new StraitError('Unavailable', 'the global CP is still starting');
        let claims: ZoneTokenClaims;
        try {
          claims = await zoneTokens.verify(bearer(metadata));
        } catch (err) {
          logger.warn({ reason: (err as Error).message }, 'zone refused on KDS');
          throw err;
        }
        if (!claims.scope.includes('cp')) {
          throw new StraitError('Forbidden', `the token of zone "${claims.zone}" lacks scope cp`);
        }
        await zones.admit(claims.zone);
        return { zone: claims.zone };
      },
      observer: {
        onZoneConnected: (zone, info) =>
          insights.connected(zone, { zoneInstanceId: info.instance, version: info.version }),
        onZoneDisconnected: (zone) => insights.disconnected(zone),
        onHeartbeat: (zone) => insights.heartbeat(zone),
        onSent: (zone, type, info) => insights.sent(zone, type, info.resources),
        onAck: (zone, type) => insights.acked(zone, type),
        onNack: (zone, type, message) => insights.nacked(zone, type, message),
        onRefused: (zone, type, message) => logger.warn({ zone, type, reason: message }, 'refused what a zone sent'),
      },
    });
    await kds.start(new AbortController().signal);
    stops.push(() => kds.stop());
    const kdsPort = kds.address().port;
    core.markReady({ kds: kdsPort });
    logger.debug({ version: STRAIT_VERSION }, 'global CP started');
    return {
      ports: { ...core.ports, kds: kdsPort },
      adminTokenFile: core.adminTokenFile,
      ...(tls.caFile === undefined ? {} : { caFile: tls.caFile }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
