/**
 * KDS security against a real `strait global-cp run` process: zone tokens that are missing,
 * expired, revoked, forged or another zone's are refused; a zone cannot push resources that
 * claim another zone; malformed messages are refused; zones receive public token keys only.
 * Each refusal is checked on both ends: what the client sees and the global's log line.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeKdsResource, fetchBootstrap, kdsHashedName, type MappedResource, silentLogger } from '@strait/shared';
import {
  answerTo,
  dialKds,
  type GlobalCpProcess,
  GrpcStatus,
  kdsResponse,
  type ProcessHandle,
  type RawKdsClient,
  rawResource,
  startGlobalCpProcess,
  startZoneCpProcess,
  strait,
  waitFor,
  type ZoneCpProcess,
  zoneCpPorts,
} from './harness/index.js';

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const KDS_RESOURCE_TYPE_URL = 'type.googleapis.com/strait.kds.v1.KdsResource';

/** The claims of a JWT (not verified: the test reads its own tokens). */
function claimsOf(token: string): { jti: string; exp: number } {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

/** A pino JSON line, or undefined for anything else (a line cut mid-way included). */
function jsonLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A zone token signed by a key the global has never seen (same header, kid and claims as a real one). */
function forgedZoneToken(zone: string): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'RS256', kid: '1', typ: 'JWT' })}.${part({
    zone,
    scope: ['cp'],
    jti: 'forged-1',
    iat: now,
    exp: now + 3600,
  })}`;
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

/** A Dataplane as `zone` sends it up (labels and hash-suffixed name), with overrides. */
function zoneDataplane(zone: string, name: string, overrides: Partial<MappedResource> = {}): MappedResource {
  return {
    type: 'Dataplane',
    mesh: 'default',
    name: kdsHashedName('default', name, zone),
    labels: { 'kuma.io/origin': 'zone', 'kuma.io/zone': zone, 'kuma.io/display-name': name },
    spec: { networking: { address: '10.0.0.1', inbound: [{ port: 8080, tags: { 'kuma.io/service': name } }] } },
    creationTime: '2024-01-01T00:00:00.000Z',
    modificationTime: '2024-01-01T00:00:00.000Z',
    storeVersion: 1,
    ...overrides,
  };
}

describe('KDS security (real global CP process)', { concurrency: false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'strait-e2e-kds-sec-'));
  const processes: ProcessHandle[] = [];
  let global: GlobalCpProcess;
  let kds: RawKdsClient;

  async function zoneToken(zone: string, validFor = '1h'): Promise<string> {
    const res = await fetch(`${global.api}/tokens/zone`, {
      method: 'POST',
      ...json({ zone, scope: ['cp'], validFor }),
    });
    assert.equal(res.status, 200);
    return (await res.text()).trim();
  }

  /** Revokes a zone token the way Kuma documents it: its id in the `zone-token-revocations` GlobalSecret. */
  async function revoke(token: string): Promise<void> {
    const data = Buffer.from(claimsOf(token).jti).toString('base64');
    const res = await fetch(`${global.api}/global-secrets/zone-token-revocations`, {
      method: 'PUT',
      ...json({ type: 'GlobalSecret', name: 'zone-token-revocations', data }),
    });
    assert.ok(res.status === 200 || res.status === 201, `revocation PUT answered ${res.status}`);
  }

  async function startZone(name: string, token: string): Promise<ZoneCpProcess> {
    const tokenFile = join(dir, `${name}.token`);
    writeFileSync(tokenFile, token, { mode: 0o600 });
    const zone = await startZoneCpProcess(name, join(dir, name), await zoneCpPorts(), {
      STRAIT_ZONE_NAME: name,
      STRAIT_GLOBAL_ADDRESS: global.kds,
      STRAIT_GLOBAL_CA_FILE: global.caFile,
      STRAIT_ZONE_TOKEN_FILE: tokenFile,
    });
    processes.push(zone.handle);
    return zone;
  }

  /**
   * The zone CP's log line saying its KDS connection was refused with `code` (`failed` when the
   * global refused it at once, `ended` when it was accepted first and then closed).
   */
  const zoneRefused = (zone: ZoneCpProcess, code: number) =>
    waitFor(
      () =>
        zone.handle.lines
          .map(jsonLine)
          .find(
            (line) =>
              (line?.msg === 'KDS connection to the global failed' ||
                line?.msg === 'KDS connection to the global ended') &&
              line.code === code,
          ),
      { timeoutMs: 20_000, what: `${zone.handle.name} to log a KDS refusal with code ${code}` },
    );

  /** The global's log line `msg` whose `reason` matches `pattern`. */
  const globalLogged = (msg: string, pattern: RegExp) =>
    global.handle.waitForLog(msg, (line) => pattern.test(String(line.reason ?? '')), 10_000);

  async function zoneNames(): Promise<string[]> {
    const res = await fetch(`${global.api}/zones`);
    return ((await res.json()) as { items: Array<{ name: string }> }).items.map((z) => z.name);
  }

  async function dataplanesOf(zone: string): Promise<number> {
    const res = await fetch(`${global.api}/meshes/default/dataplanes?filter[labels.kuma.io/zone]=${zone}`);
    return ((await res.json()) as { total: number }).total;
  }

  before(async () => {
    global = await startGlobalCpProcess('global-cp', join(dir, 'global'));
    processes.push(global.handle);
    kds = dialKds(`127.0.0.1:${global.ports.kds}`, global.caFile);
  });
  after(async () => {
    kds?.close();
    await Promise.all(processes.map((p) => p.killGroup()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('zone tokens', () => {
    it('refuses a stream without a token', async () => {
      const end = await kds.globalToZone(undefined, 'zone-1').ended;
      assert.equal(end.code, GrpcStatus.UNAUTHENTICATED);
      assert.match(end.details, /no zone token/);
      await globalLogged('KDS stream authentication failed', /no zone token/);
    });

    it('refuses a forged token (signed by a key the global does not have)', async () => {
      await zoneToken('zone-1'); // the global's key 1 exists: the forgery names the same kid
      const end = await kds.globalToZone(forgedZoneToken('zone-1'), 'zone-1').ended;
      assert.equal(end.code, GrpcStatus.UNAUTHENTICATED);
      assert.match(end.details, /invalid signature/);
      await globalLogged('KDS stream authentication failed', /invalid zone token: invalid signature/);
    });

    it('refuses an expired token', async () => {
      const token = await zoneToken('zone-1', '1s');
      const { exp } = claimsOf(token);
      await waitFor(() => Date.now() / 1000 > exp + 1, { timeoutMs: 5_000, what: 'the token to expire' });
      const end = await kds.globalToZone(token, 'zone-1').ended;
      assert.equal(end.code, GrpcStatus.UNAUTHENTICATED);
      assert.match(end.details, /token expired/);
      await globalLogged('KDS stream authentication failed', /invalid zone token: token expired/);
    });

    it('refuses a zone presenting another zone’s token (its node id is not the token’s zone)', async () => {
      const end = await kds.globalToZone(await zoneToken('zone-1'), 'zone-2').ended;
      assert.equal(end.code, GrpcStatus.PERMISSION_DENIED);
      assert.match(end.details, /node\.id "zone-2" does not match the authenticated zone "zone-1"/);
      await global.handle.waitForLog(
        'KDS request names another node; closing the stream',
        (line) => line.nodeId === 'zone-2' && line.expected === 'zone-1',
        10_000,
      );
    });

    it('a real zone CP with a revoked token is refused, logs why, and never shows up', async () => {
      const token = await zoneToken('zone-revoked');
      await revoke(token);
      const zone = await startZone('zone-revoked', token);
      const refused = await zoneRefused(zone, GrpcStatus.UNAUTHENTICATED);
      assert.match(String(refused.details), /token revoked/);
      await globalLogged('KDS stream authentication failed', /invalid zone token: token revoked/);
      assert.ok(!(await zoneNames()).includes('zone-revoked'), 'no Zone is registered for a refused token');
      await zone.handle.kill('SIGTERM');
    });

    it('a real zone CP presenting another zone’s token is refused and never shows up', async () => {
      const zone = await startZone('zone-impostor', await zoneToken('zone-victim'));
      const refused = await zoneRefused(zone, GrpcStatus.PERMISSION_DENIED);
      assert.match(String(refused.details), /does not match the authenticated zone "zone-victim"/);
      await global.handle.waitForLog(
        'KDS request names another node; closing the stream',
        (line) => line.nodeId === 'zone-impostor',
        10_000,
      );
      assert.ok(!(await zoneNames()).includes('zone-impostor'));
      await zone.handle.kill('SIGTERM');
      // What it sent up on its other stream claimed zone-impostor while authenticated as zone-victim.
      assert.equal(await dataplanesOf('zone-impostor'), 0);
    });
  });

  describe('what a zone may push', () => {
    it('NACKs a Dataplane labelled with another zone and writes nothing; its own is accepted', async () => {
      const stream = kds.zoneToGlobal(await zoneToken('zone-1'));
      await waitFor(() => stream.received.some((r) => r.typeUrl === 'Dataplane'), {
        what: 'the global to subscribe to Dataplanes',
      });
      const spoofed = encodeKdsResource(zoneDataplane('zone-2', 'spoofed')).message;
      const answer = await answerTo(
        stream,
        kdsResponse({ typeUrl: 'Dataplane', nonce: 'spoof-1', resources: [spoofed] }),
      );
      assert.match(answer, /claims kuma\.io\/zone: zone-2, but the stream is authenticated as zone zone-1/);
      await globalLogged('KDS response refused (NACK)', /claims kuma\.io\/zone: zone-2/);
      assert.equal(await dataplanesOf('zone-2'), 0);

      const own = encodeKdsResource(zoneDataplane('zone-1', 'web-1')).message;
      assert.equal(
        await answerTo(stream, kdsResponse({ typeUrl: 'Dataplane', nonce: 'own-1', resources: [own] })),
        'ACK',
      );
      assert.equal(await dataplanesOf('zone-1'), 1, 'the stream works: only the spoofed one was refused');
      stream.cancel();
    });

    it('refuses malformed messages with a NACK or a closed stream, logging each, and stores nothing', async () => {
      const stream = kds.zoneToGlobal(await zoneToken('zone-3'));
      await waitFor(() => stream.received.some((r) => r.typeUrl === 'Dataplane'), {
        what: 'the global to subscribe to Dataplanes',
      });
      const good = encodeKdsResource(zoneDataplane('zone-3', 'dp-1')).message;
      const cases: Array<{
        what: string;
        resources?: ReturnType<typeof rawResource>[];
        typeUrl?: string;
        nack: RegExp;
      }> = [
        {
          what: 'an Any of another type',
          resources: [rawResource(good.name, 'type.googleapis.com/google.protobuf.Empty', new Uint8Array())],
          nack: /is an Any of "type\.googleapis\.com\/google\.protobuf\.Empty"/,
        },
        {
          what: 'an Any whose bytes do not decode',
          resources: [rawResource(good.name, KDS_RESOURCE_TYPE_URL, new Uint8Array([0x0a, 0xff, 0xff, 0xff]))],
          nack: /resource does not decode/,
        },
        { what: 'an unknown resource type', typeUrl: 'NoSuchType', nack: /unknown resource type "NoSuchType"/ },
        {
          what: 'a schema-invalid Dataplane',
          resources: [encodeKdsResource(zoneDataplane('zone-3', 'dp-2', { spec: { networking: {} } })).message],
          nack: /networking\.address/,
        },
        {
          what: 'a response over the KDS message limit',
          resources: [
            encodeKdsResource(
              zoneDataplane('zone-3', 'dp-3', {
                spec: {
                  networking: {
                    address: '10.0.0.1',
                    inbound: [{ port: 8080, tags: { 'kuma.io/service': 'x'.repeat(5 * 1024 * 1024) } }],
                  },
                },
              }),
            ).message,
          ],
          nack: /exceeds the limit of \d+ bytes/,
        },
      ];
      for (const [i, c] of cases.entries()) {
        const answer = await answerTo(
          stream,
          kdsResponse({ typeUrl: c.typeUrl ?? 'Dataplane', nonce: `bad-${i}`, resources: c.resources ?? [] }),
        );
        assert.match(answer, c.nack, c.what);
        await globalLogged('KDS response refused (NACK)', c.nack);
      }
      assert.equal(await dataplanesOf('zone-3'), 0);

      // Beyond the gRPC cap the transport itself refuses the message and the stream is closed.
      stream.send(
        kdsResponse({
          typeUrl: 'Dataplane',
          nonce: 'huge',
          resources: [rawResource(good.name, KDS_RESOURCE_TYPE_URL, new Uint8Array(12 * 1024 * 1024))],
        }),
      );
      const end = await stream.ended;
      assert.equal(end.code, GrpcStatus.RESOURCE_EXHAUSTED);
      assert.match(end.details, /larger than max/);
      // grpc-js refuses it inside the transport without telling the handler why: the global
      // logs the stream's end (and forgets the session) but cannot name the size.
      await global.handle.waitForLog(
        'KDS stream ended',
        (line) => line.zone === 'zone-3' && line.stream === 'zone-to-global',
        10_000,
      );
      assert.equal(await dataplanesOf('zone-3'), 0, 'nothing invalid reached the store');
    });
  });

  describe('a zone’s ingresses follow it offline', () => {
    it('the global shows a zone’s ingress online while the zone is, offline once it disconnects', async () => {
      const stream = kds.zoneToGlobal(await zoneToken('zone-9'));
      await waitFor(() => stream.received.some((r) => r.typeUrl === 'ZoneIngressInsight'), {
        what: 'the global to subscribe to ZoneIngressInsights',
      });
      const name = kdsHashedName('', 'ingress-9', 'zone-9');
      const labels = { 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-9', 'kuma.io/display-name': 'ingress-9' };
      const synced = (type: string, spec: object): MappedResource => ({
        type,
        name,
        labels,
        spec,
        creationTime: new Date().toISOString(),
        modificationTime: new Date().toISOString(),
        storeVersion: 1,
      });
      const ingress = synced('ZoneIngress', {
        zone: 'zone-9',
        networking: { address: '10.0.9.1', port: 10001, advertisedAddress: '192.0.2.9', advertisedPort: 10001 },
      });
      // As zone-9 reports it: the ingress's xDS stream to its zone CP is open.
      const insight = synced('ZoneIngressInsight', {
        subscriptions: [{ id: 'sub-1', controlPlaneInstanceId: 'zone-9-cp', connectTime: new Date().toISOString() }],
      });
      for (const [i, resource] of [ingress, insight].entries()) {
        const response = kdsResponse({
          typeUrl: resource.type,
          nonce: `ingress-${i}`,
          resources: [encodeKdsResource(resource).message],
        });
        assert.equal(await answerTo(stream, response), 'ACK', resource.type);
      }
      const status = () => {
        const out = strait(['--api-address', global.api, 'inspect', 'zoneingresses']);
        assert.equal(out.status, 0, out.stderr);
        return out.stdout.split('\n').find((line) => line.startsWith(name));
      };
      assert.match(status() ?? '', /\bonline\b/, 'online while zone-9 is connected');

      stream.cancel();
      await waitFor(() => /\boffline\b/.test(status() ?? ''), {
        timeoutMs: 15_000,
        what: 'zone-9’s ingress to show offline in strait inspect zoneingresses',
      });
      const overview = (await (await fetch(`${global.api}/zoneingresses+insights/${name}`)).json()) as {
        zoneIngressInsight: { subscriptions: Array<{ disconnectTime?: string }> };
      };
      assert.equal(typeof overview.zoneIngressInsight.subscriptions[0]?.disconnectTime, 'string');
    });
  });

  describe('token keys in zones', () => {
    it('a zone receives public token keys only, and a dataplane token issued on the global bootstraps a proxy there', async () => {
      const res = await fetch(`${global.api}/tokens/dataplane`, {
        method: 'POST',
        ...json({ name: 'web-1', mesh: 'default', validFor: '1h' }),
      });
      assert.equal(res.status, 200);
      const dpToken = (await res.text()).trim();
      const zone = await startZone('zone-keys', await zoneToken('zone-keys'));
      type Secret = { name: string; data: string; labels?: Record<string, string> };
      const secretsOf = async (api: string): Promise<Secret[]> => {
        const list = (await (await fetch(`${api}/global-secrets`)).json()) as { items: Array<{ name: string }> };
        return Promise.all(
          list.items.map(async (s) => (await (await fetch(`${api}/global-secrets/${s.name}`)).json()) as Secret),
        );
      };
      await waitFor(
        async () => (await secretsOf(zone.api)).some((s) => s.name === 'dataplane-token-signing-public-key-1'),
        { timeoutMs: 15_000, what: 'the dataplane token public key in the zone' },
      );
      const globalPrivate = (await secretsOf(global.api)).filter((s) => /-token-signing-key-\d+$/.test(s.name));
      assert.ok(globalPrivate.length >= 2, 'the global holds zone and dataplane signing keys');
      const zoneSecrets = await secretsOf(zone.api);
      for (const secret of zoneSecrets) {
        for (const key of globalPrivate) {
          assert.notEqual(secret.data, key.data, `zone secret ${secret.name} holds the global's ${key.name}`);
        }
        if (secret.labels?.['kuma.io/origin'] === 'global') {
          assert.doesNotMatch(Buffer.from(secret.data, 'base64').toString('utf8'), /PRIVATE KEY/, secret.name);
        }
      }

      const result = await fetchBootstrap({
        cpAddress: new URL(zone.xds),
        caCertPem: readFileSync(zone.caFile, 'utf8'),
        logger: silentLogger(),
        maxAttempts: 3,
        proxyType: 'dataplane',
        token: dpToken,
        envoyVersion: '1.40.0',
        resource: {
          type: 'Dataplane',
          mesh: 'default',
          name: 'web-1',
          networking: { address: '127.0.0.1', inbound: [{ port: 18080, tags: { 'kuma.io/service': 'web' } }] },
        },
      });
      assert.equal(typeof result.bootstrap.node, 'object', 'the zone answered a bootstrap');
      await zone.handle.kill('SIGTERM');
    });
  });
});
