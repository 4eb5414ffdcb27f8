/**
 * The zone-isolation harness: two zones in their own network namespaces, and the only path from
 * zone-1 into zone-2 is the relay the test opens (standing in for zone-2's ingress).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  call,
  createZoneNetworks,
  ip,
  type NetnsAgent,
  type ProcessHandle,
  removeStaleNetworks,
  repoRoot,
  startNetnsAgent,
  startTcpForwarder,
  type TcpForwarder,
  type ZoneNetworks,
} from './harness/index.js';

/** What the root namespace looks like (addresses, routes, forwarding), to prove the harness leaves it as it was. */
function rootState(): string {
  return JSON.stringify({
    addrs: ip(['-4', 'addr', 'show']).replace(/ +valid_lft.*\n.*preferred_lft.*/g, ''),
    routes: ip(['-4', 'route', 'show', 'table', 'all']),
    forwarding: readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8'),
  });
}

describe('zones in network namespaces (test harness)', { concurrency: false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'strait-e2e-netns-'));
  const processes: ProcessHandle[] = [];
  let before_: string;
  let networks: ZoneNetworks;
  let agents: Record<'zone-1' | 'zone-2', NetnsAgent>;
  let ingressRelay: TcpForwarder;

  before(async () => {
    removeStaleNetworks();
    before_ = rootState();
    networks = createZoneNetworks(['zone-1', 'zone-2']);
    const [a1, a2] = await Promise.all(networks.zones.map((z) => startNetnsAgent(z, join(dir, `agent-${z.zone}.log`))));
    agents = { 'zone-1': a1 as NetnsAgent, 'zone-2': a2 as NetnsAgent };
    processes.push(a1?.handle as ProcessHandle, a2?.handle as ProcessHandle);
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.killGroup()));
    await ingressRelay?.close();
    networks?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each zone its own namespace and /30 link, with loopback up and no default route', () => {
    const [z1, z2] = networks.zones;
    assert.ok(z1 !== undefined && z2 !== undefined);
    assert.match(z1.netns, new RegExp(`^strait-${process.pid}-zone-1$`));
    assert.notEqual(z1.rootAddress, z2.rootAddress);
    for (const z of networks.zones) {
      assert.match(z.rootAddress, /^198\.(18|19)\./);
      assert.ok(ip(['netns', 'list']).includes(z.netns));
      assert.match(ip(['-n', z.netns, 'link', 'show', 'lo']), /state UNKNOWN|UP/);
      const routes = ip(['-n', z.netns, '-4', 'route', 'show']);
      assert.doesNotMatch(routes, /default/);
      assert.equal(routes.trim().split('\n').length, 1, `only the link's own /30:\n${routes}`);
    }
  });

  it('from zone-1, zone-2 is unreachable except through the relay the test opens', async () => {
    const z2 = networks.get('zone-2');
    const z1 = networks.get('zone-1');
    const backendPort = await agents['zone-2'].startApp('backend', 'zone-2');
    const ingressPort = await agents['zone-2'].startApp('ingress', 'zone-2');
    ingressRelay = await startTcpForwarder({
      listen: { host: z2.rootAddress, port: 0 },
      target: { host: z2.zoneAddress, port: ingressPort },
    });
    networks.allowRoute(z1, z2.rootAddress);

    // Controls: the app is up and reachable from inside zone-2 and from the root namespace.
    assert.deepEqual(await agents['zone-2'].probe(z2.zoneAddress, backendPort), { connected: true });
    const direct = await call(`http://${z2.zoneAddress}:${backendPort}/`);
    assert.ok(direct.ok && direct.answer.service === 'backend');

    // zone-1 cannot reach zone-2's app, nor zone-2's "ingress" directly...
    for (const port of [backendPort, ingressPort]) {
      const r = await agents['zone-1'].probe(z2.zoneAddress, port);
      assert.equal(r.connected, false);
      assert.equal(r.code, 'ENETUNREACH');
    }
    // ...but reaches the relay on zone-2's root-side address, which leads to the ingress.
    const accepted = ingressRelay.accepted;
    assert.deepEqual(await agents['zone-1'].probe(z2.rootAddress, ingressRelay.port), { connected: true });
    assert.equal(ingressRelay.accepted, accepted + 1);
    // zone-1's only extra route is that /32.
    const routes = ip(['-n', z1.netns, '-4', 'route', 'show']);
    assert.match(routes, new RegExp(`^${z2.rootAddress.replaceAll('.', '\\.')} via ${z1.rootAddress}`, 'm'));
    assert.equal(routes.trim().split('\n').length, 2, routes);
  });

  it('exposes a namespace port to the root namespace on a port of the zone address', async () => {
    const port = await agents['zone-1'].startApp('web', 'zone-1');
    const exposed = await agents['zone-1'].expose(port);
    assert.notEqual(exposed, `${networks.get('zone-1').zoneAddress}:${port}`);
    const r = await call(`http://${exposed}/`);
    assert.ok(r.ok && r.answer.service === 'web');
  });

  it('removes namespaces left by dead test processes', async () => {
    const dead = spawn('true');
    const pid = dead.pid as number;
    await new Promise((resolve) => dead.once('exit', resolve));
    const stale = `strait-${pid}-zone-9`;
    ip(['netns', 'add', stale]);
    try {
      assert.ok(removeStaleNetworks().includes(stale));
      assert.ok(!ip(['netns', 'list']).includes(stale));
      // A live test's namespaces are left alone.
      for (const z of networks.zones) assert.ok(ip(['netns', 'list']).includes(z.netns));
    } finally {
      spawnSync('ip', ['netns', 'delete', stale]);
    }
  });

  it('destroy() leaves the root namespace exactly as it found it', async () => {
    await Promise.all(processes.map((p) => p.killGroup()));
    await ingressRelay.close();
    networks.destroy();
    for (const z of networks.zones) assert.ok(!ip(['netns', 'list']).includes(z.netns));
    assert.equal(rootState(), before_);
  });

  it('fails with a clear message (not a skip) when not run as root', () => {
    const script = "import { createZoneNetworks } from './e2e/src/harness/netns.ts'; createZoneNetworks(['zone-1']);";
    const r = spawnSync(
      process.execPath,
      ['--conditions=strait-source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: repoRoot, uid: 65_534, gid: 65_534, encoding: 'utf8', env: { ...process.env, HOME: tmpdir() } },
    );
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /need root \(CAP_NET_ADMIN\)/);
  });
});
