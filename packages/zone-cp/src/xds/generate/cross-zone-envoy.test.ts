/**
 * Locality-aware cross-zone load balancing with a real Envoy: a `web` sidecar whose `backend`
 * cluster gets its endpoints over (file-based) EDS, as generated — the local backend sidecar at
 * priority 0, two "remote zones" at priority 1. The remote zones are TLS-terminating stand-ins for
 * a zone ingress plus the sidecar behind it: they present backend's identity, require the mesh's
 * client certificate and record the SNI they were asked for.
 */

import assert from 'node:assert/strict';
import { constants } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { create, toJson } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import {
  ApiVersion,
  type Bootstrap,
  Cluster_DiscoveryType,
  Cluster_EdsClusterConfigSchema,
  type ClusterLoadAssignment,
  ClusterLoadAssignmentSchema,
  DiscoveryResponseSchema,
  envoyRegistry,
} from '@strait/proto/envoy';
import { type CaHandle, createRootCa, issueWorkloadCertificate, loadCa } from '@strait/shared';
import { generateClusterLoadAssignment } from './endpoints.js';
import {
  ENVOY_DEADLINE_MS,
  envoyBinary,
  freePort,
  httpGet,
  type RunningEnvoy,
  startEnvoy,
  startHttpService,
  waitFor,
  writeBootstrap,
} from './envoy-harness.js';
import { generateProxyResources } from './generate-proxy.js';
import type { Endpoint, ProxyContext } from './proxy-context.js';
import { toStaticBootstrap } from './static-bootstrap.js';
import { httpInbound, MESH, proxyContext, remoteEndpoint, rule, service } from './test-contexts.js';

const STRICT = { backendName: 'ca-1', mode: 'STRICT' } as const;
const BACKEND_SNI = `backend{mesh=${MESH}}`;

/** What a remote stand-in saw of one request. */
interface RemoteAnswer {
  readonly zone: string;
  /** The caller's certificate's SANs. */
  readonly peer: string;
}

/**
 * What the stand-ins saw of TLS handshakes: the SNI of every ClientHello that carried one, and
 * how many handshakes completed. The stand-ins issue no session tickets: Node reports no SNI for
 * a resumed session, so every connection must be a full handshake for the two to be comparable.
 */
const handshakes = { sniSeen: [] as string[], completed: 0 };

const binary = envoyBinary();
const dir = mkdtempSync(join(tmpdir(), 'strait-cross-zone-'));
const edsDir = join(dir, 'eds');
const envoys: RunningEnvoy[] = [];
const servers: Server[] = [];
let ca: CaHandle;

async function secretsFor(spiffeId: string) {
  const cert = await issueWorkloadCertificate(ca, { spiffeId, validForMs: 3_600_000 });
  return [
    { name: 'identity_cert:secret:default', certPem: cert.chainPem, keyPem: cert.keyPem },
    { name: 'mesh_ca:secret:default', caPem: ca.certPem },
  ];
}

/**
 * A stand-in for zone `zone`'s ingress and backend: mTLS as backend, answers what it saw as JSON.
 * Listens on `port` when given (an ingress coming back at its advertised address).
 */
async function startRemoteZone(zone: string, port = 0): Promise<number> {
  const cert = await issueWorkloadCertificate(ca, { spiffeId: `spiffe://${MESH}/backend`, validForMs: 3_600_000 });
  const server = createHttpsServer(
    {
      cert: cert.chainPem,
      key: cert.keyPem,
      ca: ca.certPem,
      requestCert: true,
      rejectUnauthorized: true,
      secureOptions: constants.SSL_OP_NO_TICKET,
      SNICallback: (name, done) => {
        handshakes.sniSeen.push(name);
        done(null, undefined); // the server's own certificate
      },
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const answer: RemoteAnswer = { zone, peer: socket.getPeerCertificate().subjectaltname ?? '' };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    },
  );
  server.on('secureConnection', () => {
    handshakes.completed++;
  });
  server.listen(port, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  servers.push(server);
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** Publishes `assignment` to the file Envoy's EDS watches (written aside, then moved in). */
function publishEds(assignment: ClusterLoadAssignment, version: number): void {
  const response = create(DiscoveryResponseSchema, {
    versionInfo: String(version),
    typeUrl: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
    resources: [anyPack(ClusterLoadAssignmentSchema, assignment)],
  });
  const staged = join(edsDir, `backend.${version}.tmp`);
  writeFileSync(staged, JSON.stringify(toJson(DiscoveryResponseSchema, response, { registry: envoyRegistry })));
  renameSync(staged, join(edsDir, 'backend.json'));
}

/** The static bootstrap with the `backend` cluster turned back to EDS, read from the watched file. */
function withFileEds(bootstrap: Bootstrap): Bootstrap {
  const cluster = bootstrap.staticResources?.clusters.find((c) => c.name === 'backend');
  assert.ok(cluster !== undefined, 'the web proxy has a backend cluster');
  cluster.clusterDiscoveryType = { case: 'type', value: Cluster_DiscoveryType.EDS };
  cluster.loadAssignment = undefined;
  cluster.edsClusterConfig = create(Cluster_EdsClusterConfigSchema, {
    edsConfig: {
      resourceApiVersion: ApiVersion.V3,
      configSourceSpecifier: {
        case: 'pathConfigSource',
        value: { path: join(edsDir, 'backend.json'), watchedDirectory: { path: edsDir } },
      },
    },
  });
  return bootstrap;
}

type Answer = { local: true } | RemoteAnswer;

async function call(port: number): Promise<Answer> {
  const res = await httpGet(port);
  assert.equal(res.status, 200, res.body);
  return res.body === 'local zone-1' ? { local: true } : (JSON.parse(res.body) as RemoteAnswer);
}

async function callMany(port: number, count: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < count; i++) answers.push(await call(port));
  return answers;
}

const isLocal = (a: Answer): boolean => 'local' in a;

describe('cross-zone failover through EDS priorities (real Envoy)', { timeout: ENVOY_DEADLINE_MS * 4 }, () => {
  let web: ProxyContext;
  let outboundPort = 0;
  let local: Endpoint;
  let webAdminPort = 0;

  before(async () => {
    ca = await loadCa(await createRootCa({ commonName: MESH, validForMs: 3_600_000, trustDomain: MESH }));
    mkdirSync(edsDir);
    const app = await startHttpService('local zone-1');
    servers.push(app.server);
    const [inboundPort, backendAdmin, webAdmin, outbound] = await Promise.all(Array.from({ length: 4 }, freePort));
    outboundPort = outbound ?? 0;
    webAdminPort = webAdmin ?? 0;
    const [zone2, zone3] = await Promise.all([startRemoteZone('zone-2'), startRemoteZone('zone-3')]);

    // The local backend: a generated sidecar in STRICT mTLS (it must accept the SNI web now sends).
    const backend = proxyContext({
      name: 'backend-local',
      serviceName: 'backend',
      address: '127.0.0.1',
      adminPort: backendAdmin ?? 0,
      mtls: STRICT,
      inbounds: [httpInbound(inboundPort ?? 0, app.port, [rule('Allow')])],
    });
    const backendResources = generateProxyResources({
      ...backend,
      secrets: await secretsFor(`spiffe://${MESH}/backend`),
    });
    const backendPath = writeBootstrap(
      dir,
      'backend',
      toStaticBootstrap(backendResources, { nodeId: 'backend', adminPort: backendAdmin ?? 0 }),
    );
    envoys.push(await startEnvoy(binary, backendPath, dir, 'backend'));

    local = { address: '127.0.0.1', port: inboundPort ?? 0, tags: service('backend') };
    web = proxyContext({
      name: 'web-01',
      serviceName: 'web',
      address: '127.0.0.1',
      adminPort: webAdmin ?? 0,
      mtls: STRICT,
      outbounds: [{ port: outboundPort, service: 'backend', protocol: 'http' }],
      endpoints: new Map([
        [
          'backend',
          [
            local,
            remoteEndpoint('backend', 'zone-2', '127.0.0.1', zone2, 3),
            remoteEndpoint('backend', 'zone-3', '127.0.0.1', zone3, 1),
          ],
        ],
      ]),
    });
    web = { ...web, secrets: await secretsFor(`spiffe://${MESH}/web`) };
    publishEds(generateClusterLoadAssignment(web, 'backend'), 1);
    const bootstrap = withFileEds(
      toStaticBootstrap(generateProxyResources(web), { nodeId: 'web', adminPort: webAdmin ?? 0 }),
    );
    envoys.push(await startEnvoy(binary, writeBootstrap(dir, 'web', bootstrap), dir, 'web'));
  });

  after(async () => {
    await Promise.all(envoys.splice(0).map((e) => e.kill()));
    for (const server of servers.splice(0)) server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Publishes web's endpoints of backend minus the local one (as when its Dataplane goes away). */
  function withoutLocal(): ClusterLoadAssignment {
    const remote = (web.endpoints.get('backend') ?? []).filter((e) => e !== local);
    return generateClusterLoadAssignment({ ...web, endpoints: new Map([['backend', remote]]) }, 'backend');
  }

  it('the local zone (priority 0) takes every request while it is healthy', async () => {
    const answers = await waitFor('the web sidecar to route to backend', async () => {
      const first = await call(outboundPort).catch(() => undefined);
      return first === undefined ? undefined : [first, ...(await callMany(outboundPort, 19))];
    });
    assert.deepEqual(
      answers.filter((a) => !isLocal(a)),
      [],
      'no request left the zone',
    );
  });

  it('without local endpoints the remote zones answer, split 3:1 by instances, with the SNI and web identity', async () => {
    publishEds(withoutLocal(), 2);
    await waitFor('EDS without the local endpoint to apply', async () =>
      isLocal(await call(outboundPort)) ? undefined : true,
    );
    const answers = await callMany(outboundPort, 40);
    const remote = answers.filter((a): a is RemoteAnswer => !isLocal(a));
    assert.equal(remote.length, 40, 'every request went to another zone');
    for (const a of remote) assert.match(a.peer, new RegExp(`URI:spiffe://${MESH}/web`));
    assert.ok(handshakes.completed > 0, 'web connected to the remote zones over TLS');
    assert.deepEqual(
      handshakes.sniSeen,
      Array(handshakes.completed).fill(BACKEND_SNI),
      'every handshake named backend',
    );
    const zone2 = remote.filter((a) => a.zone === 'zone-2').length;
    // Weighted round robin per Envoy worker: 3:1 gives ~30 of 40 (an even split would give ~20).
    assert.ok(zone2 >= 25 && zone2 <= 35, `zone-2 (3 instances) took ${zone2} of 40, zone-3 (1 instance) the rest`);
  });

  it('when the local endpoint is back, traffic returns to the local zone', async () => {
    publishEds(generateClusterLoadAssignment(web, 'backend'), 3);
    await waitFor('EDS with the local endpoint to apply', async () =>
      isLocal(await call(outboundPort)) ? true : undefined,
    );
    const answers = await callMany(outboundPort, 20);
    assert.deepEqual(
      answers.filter((a) => !isLocal(a)),
      [],
    );
  });

  /** One of the web sidecar's `backend` cluster outlier-detection stats (admin). */
  async function outlierStat(name: string): Promise<number> {
    const stat = `cluster.backend.outlier_detection.${name}`;
    const res = await fetch(`http://127.0.0.1:${webAdminPort}/stats?filter=${encodeURIComponent(`^${stat}$`)}`);
    const line = (await res.text()).split('\n').find((l) => l.startsWith(`${stat}:`));
    return Number(line?.split(':')[1] ?? Number.NaN);
  }

  /** zone-4: an ingress that is gone (nothing listens at its advertised port), weight 4. */
  let dead: Endpoint;

  /** A per-endpoint field of the web sidecar's `backend` cluster (admin `/clusters`); undefined while the endpoint is unknown. */
  async function endpointField(port: number, name: string): Promise<string | undefined> {
    const res = await fetch(`http://127.0.0.1:${webAdminPort}/clusters`);
    const prefix = `backend::127.0.0.1:${port}::${name}::`;
    const line = (await res.text()).split('\n').find((l) => l.startsWith(prefix));
    return line?.slice(prefix.length);
  }

  /** How many connections to the endpoint on `port` failed; undefined while the endpoint is unknown. */
  async function connectFailures(port: number): Promise<number | undefined> {
    const value = await endpointField(port, 'cx_connect_fail');
    return value === undefined ? undefined : Number(value);
  }

  /** Publishes `endpoints` as backend's and waits until Envoy knows the endpoint on `port`. */
  async function publishWith(endpoints: readonly Endpoint[], version: number, port: number): Promise<void> {
    publishEds(
      generateClusterLoadAssignment({ ...web, endpoints: new Map([['backend', endpoints]]) }, 'backend'),
      version,
    );
    await waitFor(`EDS version ${version} to apply`, async () =>
      (await connectFailures(port)) === undefined ? undefined : true,
    );
  }

  it('a local instance that just died costs no call: each is retried in another zone until it is ejected', async () => {
    const gone: Endpoint = { ...local, port: await freePort() };
    const remote = (web.endpoints.get('backend') ?? []).filter((e) => e !== local);
    await publishWith([gone, ...remote], 4, gone.port);
    const answers = await callMany(outboundPort, 20);
    assert.deepEqual(answers.filter(isLocal), [], 'every call was answered by another zone');
    const refused = (await connectFailures(gone.port)) ?? 0;
    assert.ok(refused >= 1, 'the dead local instance was tried first (priority 0)');
    assert.equal(await outlierStat('ejections_active'), 1, 'and ejected after 5 failed connections');
  });

  it('a zone whose ingress refuses connections costs no call, and once ejected it is not tried again', async () => {
    dead = remoteEndpoint('backend', 'zone-4', '127.0.0.1', await freePort(), 4);
    const remote = (web.endpoints.get('backend') ?? []).filter((e) => e !== local);
    const ejectedBefore = await outlierStat('ejections_enforced_consecutive_local_origin_failure');
    // The ingress dies right after it was announced: the ejection lands within Envoy's update
    // merge window, which must not hold it back (the cluster sets the window to 0).
    await publishWith([...remote, dead], 5, dead.port);
    const first = await callMany(outboundPort, 30);
    assert.equal(first.length, 30, 'every call answered (retried on a live zone)');
    assert.equal(
      await outlierStat('ejections_enforced_consecutive_local_origin_failure'),
      ejectedBefore + 1,
      'Envoy ejected zone-4 for failed connections',
    );
    const refused = await connectFailures(dead.port);
    assert.ok(refused !== undefined && refused >= 5, `zone-4 was tried ${refused} times`);
    await callMany(outboundPort, 30);
    assert.equal(await connectFailures(dead.port), refused, 'the ejected zone took no further call');
  });

  it('with every endpoint ejected Envoy still tries them: an ingress back at its address answers at once', async () => {
    // Only zone-4 is left, and it stays ejected (Envoy keeps a host's state across EDS updates).
    publishEds(generateClusterLoadAssignment({ ...web, endpoints: new Map([['backend', [dead]]]) }, 'backend'), 6);
    await waitFor('EDS with only the dead zone to apply', async () =>
      (await httpGet(outboundPort)).status === 503 ? true : undefined,
    );
    assert.match(
      (await endpointField(dead.port, 'health_flags')) ?? '',
      /failed_outlier_check/,
      'zone-4 is still ejected',
    );
    const started = Date.now();
    await startRemoteZone('zone-4', dead.port);
    const answer = await waitFor('the call to reach zone-4 again', async () => {
      const res = await httpGet(outboundPort);
      return res.status === 200 ? (JSON.parse(res.body) as RemoteAnswer) : undefined;
    });
    const tookMs = Date.now() - started;
    assert.equal(answer.zone, 'zone-4');
    assert.ok(tookMs < 5_000, `zone-4 answered ${tookMs} ms after it came back, not after its 30 s ejection`);
  });
});
