/**
 * `strait dp run` as a real process against a fake zone CP (HTTPS, the bootstrap contract) and a
 * real Envoy running the static bootstrap the fake CP hands out.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createSelfSignedServerCertificate, pollUntil, resolveEnvoyBinary } from '@strait/shared';
import { ExitCode } from '../exit-codes.js';
import { closedPort } from '../testing/closed-port.js';
import { runStrait } from '../testing/run-strait.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const STRAIT = join(REPO_ROOT, 'packages/cli/bin/strait.mjs');
const DEADLINE_MS = 60_000;
const TOKEN = 'dp-token-that-must-not-be-logged';

const DATAPLANE_TEMPLATE = `type: Dataplane
mesh: default
name: {{ name }}
networking:
  address: 127.0.0.1
  inbound:
    - port: {{ port }}
      tags:
        kuma.io/service: web
`;

type Json = Record<string, unknown>;

/** What the fake CP received and how it answers `/bootstrap`. */
interface FakeCp {
  readonly address: string;
  readonly bootstraps: Json[];
  readonly deregistrations: Json[];
}

let dir: string;
let envoyBin: string;
let caFile: string;
let tls: Awaited<ReturnType<typeof createSelfSignedServerCertificate>>;
const servers: Server[] = [];
const children: ChildProcess[] = [];
const envoyPids = new Set<number>();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strait-dp-run-'));
  envoyBin = await resolveEnvoyBinary({ allowInstallScript: true });
  tls = await createSelfSignedServerCertificate();
  caFile = join(dir, 'ca.pem');
  await writeFile(caFile, tls.caPem);
  await writeFile(join(dir, 'dataplane.yaml'), DATAPLANE_TEMPLATE);
  await writeFile(join(dir, 'token'), `${TOKEN}\n`);
});

after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of envoyPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  await rm(dir, { recursive: true, force: true });
});

/** A bootstrap with admin on loopback port 0 and one listener answering every request with `body`. */
function staticBootstrap(listenerPort: number, body: string): Json {
  const hcm = {
    '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
    statPrefix: 'direct',
    routeConfig: {
      virtualHosts: [
        {
          name: 'all',
          domains: ['*'],
          routes: [{ match: { prefix: '/' }, directResponse: { status: 200, body: { inlineString: body } } }],
        },
      ],
    },
    httpFilters: [
      {
        name: 'envoy.filters.http.router',
        typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
      },
    ],
  };
  return {
    node: { id: 'default.web-1', cluster: 'web' },
    admin: { address: { socketAddress: { address: '127.0.0.1', portValue: 0 } } },
    staticResources: {
      listeners: [
        {
          name: 'direct',
          address: { socketAddress: { address: '127.0.0.1', portValue: listenerPort } },
          filterChains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typedConfig: hcm }] }],
        },
      ],
    },
  };
}

/** A zone CP that answers `/bootstrap` with `answer` (status, body) and `/deregister` with 200. */
async function startFakeCp(answer: { status: number; body: Json }): Promise<FakeCp> {
  const cp = { bootstraps: [] as Json[], deregistrations: [] as Json[] };
  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, async (req, res) => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const body = JSON.parse(text) as Json;
    if (req.url === '/deregister') {
      cp.deregistrations.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    cp.bootstraps.push(body);
    const type = answer.status === 200 ? 'application/json' : 'application/problem+json';
    res.writeHead(answer.status, { 'content-type': type }).end(JSON.stringify(answer.body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return { ...cp, address: `https://localhost:${(server.address() as AddressInfo).port}` };
}

/** A running `strait` process and its output, stdout parsed as JSON log lines where it can be. */
function startStrait(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [STRAIT, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const logs = (): Json[] =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Json);
  return { child, exited, logs, output: () => `${stdout}\n${stderr}`, stderr: () => stderr };
}

async function eventually<T>(what: string, check: () => Promise<T | undefined>, output: () => string): Promise<T> {
  const value = await pollUntil(check, { timeoutMs: DEADLINE_MS, intervalMs: 100 });
  if (value === undefined) assert.fail(`timed out waiting for ${what}; output:\n${output().slice(-4_000)}`);
  return value;
}

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 2_000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

function dpRunArgs(cpAddress: string): string[] {
  return [
    'dp',
    'run',
    '--cp-address',
    cpAddress,
    '--dataplane-file',
    join(dir, 'dataplane.yaml'),
    '--dataplane-var',
    'name=web-1',
    '--dataplane-var',
    'port=8080',
    '--dataplane-token-file',
    join(dir, 'token'),
    '--ca-cert-file',
    caFile,
    '--drain-time-ms',
    '1000',
  ];
}

describe('strait dp run (real process, real Envoy)', { timeout: 180_000 }, () => {
  it('registers, serves through Envoy, and on SIGTERM drains, stops and deregisters (exit 0)', async () => {
    const listenerPort = await closedPort();
    const cp = await startFakeCp({
      status: 200,
      body: { bootstrap: staticBootstrap(listenerPort, 'hello from web-1') },
    });
    const adminPort = await closedPort();
    const run = startStrait([...dpRunArgs(cp.address), '--admin-port', String(adminPort)], { ENVOY_BIN: envoyBin });

    const ready = await eventually('the ready line', async () => run.logs().find((l) => l.msg === 'ready'), run.output);
    assert.equal(ready.dataplane, 'web-1');
    assert.equal(ready.mesh, 'default');
    assert.equal(ready.adminPort, adminPort);
    const envoyPid = run.logs().find((l) => l.msg === 'envoy started')?.envoyPid;
    assert.equal(typeof envoyPid, 'number');
    envoyPids.add(envoyPid as number);
    assert.equal(await httpGet(listenerPort), 'hello from web-1');

    const [request] = cp.bootstraps;
    assert.ok(request !== undefined);
    assert.equal(request.proxyType, 'dataplane');
    assert.equal(request.token, TOKEN);
    assert.equal(request.envoyVersion, '1.40.0');
    assert.deepEqual((request.resource as Json).networking, {
      address: '127.0.0.1',
      inbound: [{ port: 8080, tags: { 'kuma.io/service': 'web' } }],
      admin: { port: adminPort },
    });

    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0, run.output());
    assert.deepEqual(cp.deregistrations, [{ proxyType: 'dataplane', mesh: 'default', name: 'web-1', token: TOKEN }]);
    const messages = run.logs().map((l) => l.msg);
    for (const step of ['shutting down', 'draining listeners', 'envoy exited', 'deregistered', 'stopped']) {
      assert.ok(messages.includes(step), `logs "${step}"`);
    }
    assert.ok(messages.indexOf('envoy exited') < messages.indexOf('deregistered'), 'deregisters after Envoy stopped');
    assert.throws(() => process.kill(envoyPid as number, 0), 'Envoy is gone');
    assert.ok(!run.output().includes(TOKEN), 'the token is never logged');
  });

  it('exits 1 with the reason logged when the CP refuses the token, never starting Envoy', async () => {
    const cp = await startFakeCp({
      status: 401,
      body: { type: 'about:blank', status: 401, title: 'Unauthorized', detail: 'dataplane token has expired' },
    });
    // A stand-in Envoy that answers --version and records any other start.
    const calls = join(dir, 'envoy-calls');
    const fakeEnvoy = join(dir, 'fake-envoy.sh');
    await writeFile(
      fakeEnvoy,
      `#!/bin/sh\necho "$*" >> '${calls}'\n[ "$1" = "--version" ] && echo "envoy  version: abc/1.40.0/Clean/RELEASE/BoringSSL" && exit 0\nexit 1\n`,
    );
    await chmod(fakeEnvoy, 0o755);
    // Connection settings from the environment this time.
    const args = ['dp', 'run', '--dataplane-file', join(dir, 'dataplane.yaml')];
    args.push('--dataplane-var', 'name=web-1', '--dataplane-var', 'port=8080');
    const run = startStrait(args, {
      ENVOY_BIN: fakeEnvoy,
      STRAIT_CP_ADDRESS: cp.address,
      STRAIT_DATAPLANE_TOKEN_FILE: join(dir, 'token'),
      STRAIT_CA_CERT_FILE: caFile,
    });

    assert.equal(await run.exited, ExitCode.failure, run.output());
    const refused = run.logs().find((l) => l.msg === 'bootstrap refused');
    assert.ok(refused !== undefined, run.output());
    assert.equal(refused.level, 'error');
    assert.equal(refused.code, 'Unauthenticated');
    assert.match(String(refused.reason), /dataplane token has expired/);
    assert.match(run.stderr(), /dataplane token has expired/);
    assert.equal(cp.bootstraps.length, 1, 'a refusal is not retried');
    assert.equal(cp.bootstraps[0]?.token, TOKEN);
    assert.equal((await readFile(calls, 'utf8')).trim(), '--version', 'Envoy was never started');
    assert.equal(cp.deregistrations.length, 0);
  });

  it('names a template variable that has no value (exit 1)', async () => {
    const run = await runStrait(
      [
        'dp',
        'run',
        '--cp-address',
        'https://127.0.0.1:1',
        '--dataplane-file',
        join(dir, 'dataplane.yaml'),
        '--dataplane-var',
        'name=web-1',
      ],
      { env: { ENVOY_BIN: envoyBin } },
    );
    assert.equal(run.code, ExitCode.failure);
    assert.match(run.stderr, /\{\{ port \}\}.*--dataplane-var port=/);
    assert.match(run.stdout, /"level":"error".*\{\{ port \}\}/);
  });

  it('is a usage error without --dataplane-file (exit 2)', async () => {
    const run = await runStrait(['dp', 'run']);
    assert.equal(run.code, ExitCode.usage);
    assert.match(run.stderr, /--dataplane-file/);
  });
});
