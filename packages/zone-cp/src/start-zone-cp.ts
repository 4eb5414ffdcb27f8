import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { credentials, type Metadata, ServerCredentials } from '@grpc/grpc-js';
import { registerZoneTokenRoutes, STRAIT_VERSION, startCpCore } from '@strait/api';
import type { Node } from '@strait/proto/envoy';
import {
  type CpConfig,
  checkProxyToken,
  createMeshCaManager,
  createTokenIssuer,
  ensureServerTlsFiles,
  type Logger,
  StraitError,
  type TokenIssuer,
  type ZoneTokenClaims,
} from '@strait/shared';
import { createBootstrapHandler } from './bootstrap/bootstrap-server.js';
import { parseProxyId } from './bootstrap/proxy-id.js';
import { authenticateIngressStream } from './ingress/authenticate-ingress.js';
import { createAvailableServicesUpdater } from './ingress/available-services-updater.js';
import { ownZoneTokenIssuer } from './ingress/ingress-token.js';
import { createProxyInsightWriter } from './insights/proxy-insight-writer.js';
import { registerInspectRoutes } from './inspect/inspect-routes.js';
import { createKdsClient } from './kds/index.js';
import { createSnapshotCache } from './xds/cache/index.js';
import { createProxyCertManager } from './xds/certs/proxy-cert-manager.js';
import { createXdsReconciler, type XdsReconciler } from './xds/reconcile/xds-reconciler.js';
import { createAdsServer } from './xds/server/index.js';
import { createXdsPortServer } from './xds/xds-port-server.js';

/** Options of {@link startZoneCp}. */
export interface StartZoneCpOptions {
  readonly config: CpConfig;
  readonly logger: Logger;
}

/** A running zone control plane. */
export interface RunningZoneCp {
  readonly ports: { readonly api: number; readonly diagnostics: number; readonly xds: number };
  readonly adminTokenFile: string;
  /** PEM of the CA that signed the xDS port's certificate, when the CP generated it. */
  readonly caFile?: string;
  stop(): Promise<void>;
}

/** Mesh CAs live ten years (Kuma's default); proxy certificates 24 h unless the mesh says otherwise. */
const MESH_CA_VALID_FOR_MS = 10 * 365 * 24 * 3600 * 1000;
const PROXY_CERT_VALID_FOR_MS = 24 * 3600 * 1000;

function bearerToken(metadata: Metadata): string {
  const header = metadata.get('authorization')[0];
  const match = typeof header === 'string' ? /^bearer\s+(\S+)$/i.exec(header.trim()) : null;
  if (match?.[1] === undefined) throw new StraitError('Unauthenticated', 'no dataplane token on the ADS stream');
  return match[1];
}

/**
 * Starts a zone CP (with `global.address`: federated, syncing with the global over KDS): the common core (store, REST API, diagnostics), then the xDS side — the
 * bootstrap endpoint and ADS on one TLS port, the reconciler that turns store changes into
 * proxy snapshots, proxy certificates from the mesh CA, and DataplaneInsights. Standalone for
 * now (KDS to a global arrives with its component).
 */
export async function startZoneCp(options: StartZoneCpOptions): Promise<RunningZoneCp> {
  const { config } = options;
  const logger = options.logger.child({ role: 'zone-cp', zone: config.zone.name });
  const federated = config.global.address !== undefined;
  const globalAddress = config.global.address;
  if (federated && config.global.caFile === undefined && !config.global.tlsSkipVerify) {
    throw new StraitError(
      'Invalid',
      'a zone connected to a global needs STRAIT_GLOBAL_CA_FILE (or STRAIT_GLOBAL_TLS_SKIP_VERIFY=true)',
      {
        violations: [
          { field: 'global.caFile', reason: 'must be set to verify the global CP (or set global.tlsSkipVerify)' },
        ],
      },
    );
  }
  if (federated && config.global.zoneTokenFile === undefined) {
    throw new StraitError('Invalid', 'a zone connected to a global needs STRAIT_ZONE_TOKEN_FILE', {
      violations: [
        { field: 'global.zoneTokenFile', reason: 'must be set: the zone authenticates to the global with it' },
      ],
    });
  }
  let reconciler: XdsReconciler | undefined;
  // Verifies the zone tokens of zone ingresses; a standalone zone also issues them (for itself).
  let zoneTokens: TokenIssuer<ZoneTokenClaims> | undefined;
  const core = await startCpCore({
    role: 'zone',
    config,
    logger,
    federated,
    routes: (app, { store, registry }) => {
      zoneTokens = createTokenIssuer<ZoneTokenClaims>({
        store,
        kind: 'zone',
        logger: logger.child({ component: 'zone-tokens' }),
      });
      if (!federated) registerZoneTokenRoutes(app, ownZoneTokenIssuer(zoneTokens, config.zone.name));
      registerInspectRoutes(app, {
        store,
        registry,
        reconciler: {
          inspect: (mesh, name) => {
            if (reconciler === undefined) throw new StraitError('Unavailable', 'the zone CP is still starting');
            return reconciler.inspect(mesh, name);
          },
          inspectIngress: (name) => {
            if (reconciler === undefined) throw new StraitError('Unavailable', 'the zone CP is still starting');
            return reconciler.inspectIngress(name);
          },
        },
      });
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
    const tls = await ensureServerTlsFiles({
      dataDir: config.dataDir,
      ...(config.tls.certFile === undefined ? {} : { certFile: config.tls.certFile }),
      ...(config.tls.keyFile === undefined ? {} : { keyFile: config.tls.keyFile }),
      hostnames: [hostname()],
      logger,
    });
    // A federated zone issues from the mesh CA the global owns (it arrives over KDS).
    const caManager = createMeshCaManager({
      store,
      logger,
      caValidForMs: MESH_CA_VALID_FOR_MS,
      createIfMissing: !federated,
    });
    stops.push(async () => caManager.close());
    const certs = createProxyCertManager({ caManager, logger, defaultValidForMs: PROXY_CERT_VALID_FOR_MS });
    const cache = createSnapshotCache();
    const insights = createProxyInsightWriter({ store, logger, instanceId: core.instanceId });
    await insights.start(new AbortController().signal);
    stops.push(() => insights.stop());
    let touchAvailableServices = (): void => {};
    const xds = createXdsReconciler({
      store,
      registry,
      cache,
      certs,
      logger,
      zone: config.zone.name,
      onOfflineChanged: () => touchAvailableServices(),
    });
    await xds.start(new AbortController().signal);
    stops.push(() => xds.stop());
    reconciler = xds;
    const ingressTokens = zoneTokens as TokenIssuer<ZoneTokenClaims>;
    const availableServices = createAvailableServicesUpdater({
      store,
      logger,
      zone: config.zone.name,
      isOffline: (mesh, name) => xds.isOffline(mesh, name),
      isIngressOffline: (name) => xds.isIngressOffline(name),
    });
    await availableServices.start(new AbortController().signal);
    touchAvailableServices = () => availableServices.touch();
    stops.push(() => availableServices.stop());

    const ads = createAdsServer({
      cache,
      logger,
      credentials: ServerCredentials.createInsecure(), // TLS ends at the xDS port server
      injectOnly: true,
      async authenticate(node, metadata) {
        const ref = parseProxyId(node.id);
        if (ref === undefined) throw new StraitError('Unauthenticated', `unknown node id "${node.id}"`);
        if (ref.type === 'ingress') {
          const token = metadata.get('authorization').length === 0 ? '' : bearerToken(metadata);
          await authenticateIngressStream(
            { store, zoneTokens: ingressTokens, zone: config.zone.name },
            ref.key.name,
            token,
          );
          return { proxyId: node.id };
        }
        const claims = await core.proxyTokens.verify(bearerToken(metadata));
        const resource = await store.get(ref.key);
        if (resource === undefined) {
          throw new StraitError(
            'Unauthenticated',
            `${ref.key.type} ${node.id} is not registered (start it with strait dp run)`,
          );
        }
        const inbound = (resource.spec as { networking?: { inbound?: Array<{ tags?: Record<string, string> }> } })
          .networking?.inbound;
        checkProxyToken(claims, {
          type: ref.type,
          ...(ref.key.mesh === undefined ? {} : { mesh: ref.key.mesh }),
          name: ref.key.name,
          inboundTags: (inbound ?? []).map((i) => i.tags ?? {}),
        });
        return { proxyId: node.id };
      },
      observer: {
        onStreamOpen(proxyId, info) {
          const ref = parseProxyId(proxyId);
          if (ref === undefined) return;
          const envoyVersion = envoyVersionOf(info.node);
          insights.opened(proxyId, ref.key, {
            connectTime: info.connectTime,
            ...(envoyVersion === undefined ? {} : { envoyVersion }),
          });
          if (ref.type === 'dataplane' && ref.key.mesh !== undefined) {
            xds.proxyConnected(proxyId, ref.key.mesh, ref.key.name);
            availableServices.touch();
          }
          if (ref.type === 'ingress') xds.ingressConnected(proxyId, ref.key.name);
        },
        onStreamClose(proxyId) {
          const ref = parseProxyId(proxyId);
          insights.closed(proxyId);
          if (ref?.type === 'dataplane' && ref.key.mesh !== undefined) {
            xds.proxyDisconnected(proxyId, ref.key.mesh, ref.key.name);
            availableServices.touch();
          }
          if (ref?.type === 'ingress') xds.ingressDisconnected(proxyId, ref.key.name);
        },
        onResponseSent: (proxyId, typeUrl) => insights.sent(proxyId, typeUrl),
        onAck: (proxyId, typeUrl) => insights.acked(proxyId, typeUrl),
        onNack: (proxyId, typeUrl, detail) => insights.nacked(proxyId, typeUrl, detail.message),
      },
    });
    await ads.start();
    // Stop regenerating before the streams close: each close would otherwise rebuild its mesh.
    stops.push(async () => {
      await xds.stop();
      await ads.stop();
    });

    const port = createXdsPortServer({
      host: config.xds.host,
      port: config.xds.port,
      certPem: tls.certPem,
      keyPem: tls.keyPem,
      grpc: ads,
      http: createBootstrapHandler({
        store,
        registry,
        tokens: core.proxyTokens,
        zoneTokens: ingressTokens,
        logger,
        zone: config.zone.name,
        ...(tls.caPem === undefined ? {} : { cpCaPem: tls.caPem }),
      }),
      logger,
    });
    const xdsPort = await port.listen();
    stops.push(() => port.close());
    if (globalAddress !== undefined) {
      const tokenFile = config.global.zoneTokenFile as string;
      const kds = createKdsClient({
        store,
        registry,
        logger,
        zone: config.zone.name,
        address: globalAddress,
        credentials: config.global.tlsSkipVerify
          ? credentials.createSsl(null, null, null, { rejectUnauthorized: false })
          : credentials.createSsl(readFileSync(config.global.caFile as string)),
        token: () => readFileSync(tokenFile, 'utf8').trim(),
        instance: core.instanceId,
        version: STRAIT_VERSION,
        heartbeatIntervalMs: config.kds.heartbeatIntervalMs,
        heartbeatTimeoutMs: config.kds.heartbeatTimeoutMs,
      });
      await kds.start(new AbortController().signal);
      stops.push(() => kds.stop());
      logger.info({ global: globalAddress }, 'syncing with the global CP over KDS');
    }
    core.markReady({ xds: xdsPort });
    return {
      ports: { ...core.ports, xds: xdsPort },
      adminTokenFile: core.adminTokenFile,
      ...(tls.caFile === undefined ? {} : { caFile: tls.caFile }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** `1.40.0` from the node's build version, when Envoy sent one. */
function envoyVersionOf(node: Node): string | undefined {
  const v = node.userAgentVersionType;
  if (v.case !== 'userAgentBuildVersion' || v.value.version === undefined) return undefined;
  const { majorNumber, minorNumber, patch } = v.value.version;
  return `${majorNumber}.${minorNumber}.${patch}`;
}
