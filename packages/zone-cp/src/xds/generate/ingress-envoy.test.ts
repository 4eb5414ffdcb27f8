/**
 * The zone ingress with a real Envoy, when an instance behind it is gone: a `backend` target with
 * two local endpoints, one of them a port nobody listens at. Callers connect with TLS and the
 * target's SNI, as other zones' sidecars do; the ingress passes the bytes through untouched.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, createServer, type Server } from 'node:tls';
import { type CaHandle, createRootCa, issueWorkloadCertificate, loadCa } from '@strait/shared';
import {
  ENVOY_DEADLINE_MS,
  envoyBinary,
  freePort,
  type RunningEnvoy,
  startEnvoy,
  waitFor,
  writeBootstrap,
} from './envoy-harness.js';
import { EJECT_AFTER_CONNECT_FAILURES } from './envoy-parts.js';
import type { IngressContext } from './ingress-context.js';
import { INGRESS_CONNECT_ATTEMPTS } from './ingress-listener.js';
import { ingressTargetSni } from './ingress-names.js';
import { generateIngressResources } from './ingress-proxy.js';
import { toStaticBootstrap } from './static-bootstrap.js';

const MESH = 'default';
const binary = envoyBinary();
const dir = mkdtempSync(join(tmpdir(), 'strait-ingress-envoy-'));
let envoy: RunningEnvoy | undefined;
let backend: Server | undefined;
let ca: CaHandle;

/** A TLS server standing in for backend's sidecar: answers every connection with `backend` and closes. */
async function startBackend(): Promise<number> {
  const cert = await issueWorkloadCertificate(ca, { spiffeId: `spiffe://${MESH}/backend`, validForMs: 3_600_000 });
  const server = createServer({ cert: cert.chainPem, key: cert.keyPem }, (socket) => socket.end('backend'));
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  backend = server;
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** One caller's connection through the ingress: what the backend said, or why it failed. */
function callThrough(port: number, sni: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: sni,
      ca: ca.certPem,
      checkServerIdentity: () => undefined,
    });
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy(new Error('timed out')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', (err) => resolve(`failed: ${err.message}`));
  });
}

describe('zone ingress with a dead local instance (real Envoy)', { timeout: ENVOY_DEADLINE_MS * 2 }, () => {
  let ingressPort = 0;
  let adminPort = 0;
  let statName = '';
  const sni = ingressTargetSni({ mesh: MESH, tags: { 'kuma.io/service': 'backend' } });

  before(async () => {
    ca = await loadCa(await createRootCa({ commonName: MESH, validForMs: 3_600_000, trustDomain: MESH }));
    const [live, dead, listen, admin] = await Promise.all([startBackend(), freePort(), freePort(), freePort()]);
    ingressPort = listen ?? 0;
    adminPort = admin ?? 0;
    const tags = { 'kuma.io/service': 'backend', 'kuma.io/zone': 'zone-2' };
    const ctx: IngressContext = {
      name: 'ingress-zone-2',
      zone: 'zone-2',
      address: '127.0.0.1',
      port: ingressPort,
      targets: [
        {
          mesh: MESH,
          tags: { 'kuma.io/service': 'backend' },
          endpoints: [
            { address: '127.0.0.1', port: dead ?? 0, tags, zone: 'zone-2' },
            { address: '127.0.0.1', port: live, tags, zone: 'zone-2' },
          ],
        },
      ],
    };
    const resources = generateIngressResources(ctx);
    statName = resources.clusters[0]?.altStatName ?? '';
    assert.notEqual(statName, '', 'the target cluster has a stat name');
    const path = writeBootstrap(dir, 'ingress', toStaticBootstrap(resources, { nodeId: 'ingress', adminPort }));
    envoy = await startEnvoy(binary, path, dir, 'ingress');
  });

  after(async () => {
    await envoy?.kill();
    backend?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function clusterStat(name: string): Promise<number> {
    const stat = `cluster.${statName}.${name}`;
    const res = await fetch(
      `http://127.0.0.1:${adminPort}/stats?filter=${encodeURIComponent(`^${stat.replaceAll('.', '\\.')}$`)}`,
    );
    const line = (await res.text()).split('\n').find((l) => l.startsWith(`${stat}:`));
    return Number(line?.split(':')[1] ?? Number.NaN);
  }

  it(`every caller gets through: the ingress tries up to ${INGRESS_CONNECT_ATTEMPTS} instances per connection`, async () => {
    await waitFor('the ingress to answer', async () =>
      (await callThrough(ingressPort, sni)) === 'backend' ? true : undefined,
    );
    const answers: string[] = [];
    for (let i = 0; i < 20; i++) answers.push(await callThrough(ingressPort, sni));
    assert.deepEqual(answers, Array(20).fill('backend'), 'no caller saw the dead instance');
    // The dead instance was tried (and refused) along the way, then ejected.
    assert.ok((await clusterStat('upstream_cx_connect_fail')) >= EJECT_AFTER_CONNECT_FAILURES);
    assert.equal(await clusterStat('outlier_detection.ejections_enforced_consecutive_local_origin_failure'), 1);
  });
});
