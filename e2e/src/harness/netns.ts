/**
 * Network namespaces that stand in for separate zones: each zone gets its own namespace with a
 * veth link to the root namespace, and no route to any other zone. Whatever a test lets through
 * (a zone's ingress) it relays itself from the root namespace, so the only paths are the ones
 * the test made. Only the veth links and their connected /30s touch the root namespace: no
 * sysctl, no iptables, no default route. Needs root (CAP_NET_ADMIN).
 */
import { execFileSync } from 'node:child_process';
import { type ProcessHandle, type StartProcessOptions, startProcess } from './process-handle.js';
import { straitBin } from './strait-cli.js';

/** One zone's namespace and its link to the root namespace. */
export interface ZoneNetwork {
  readonly zone: string;
  /** The namespace's name, `strait-<pid>-<zone>`. */
  readonly netns: string;
  /** The root namespace's end of the link (where the root namespace can listen for this zone). */
  readonly rootAddress: string;
  /** The zone's end of the link, inside the namespace. */
  readonly zoneAddress: string;
}

/** The namespaces of one test, removed by {@link ZoneNetworks.destroy} (and on process exit). */
export interface ZoneNetworks {
  readonly zones: readonly ZoneNetwork[];
  /** The zone called `zone`; throws when there is none. */
  get(zone: string): ZoneNetwork;
  /** Lets `from` reach `rootAddress` (an address of the root namespace) with a /32 route over its link. */
  allowRoute(from: ZoneNetwork, rootAddress: string): void;
  /** Deletes the namespaces and links (idempotent). Kill the processes inside first. */
  destroy(): void;
}

const NAMESPACE_PREFIX = 'strait-';
/** RFC 2544's benchmarking range, 198.18.0.0/15: never routed, so unlikely to be in use. */
const RANGE_START = (198 << 24) | (18 << 16);
const RANGE_SUBNETS = 2 ** 17 / 4;

/** Runs `ip <args>`; on failure, throws with the command and its stderr. */
export function ip(args: readonly string[]): string {
  try {
    return execFileSync('ip', [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? (err as Error).message).trim();
    throw new Error(`ip ${args.join(' ')} failed: ${stderr}`);
  }
}

function requireRoot(): void {
  if (process.getuid?.() === 0) return;
  throw new Error(
    'e2e zones run in network namespaces, which need root (CAP_NET_ADMIN): run this test as root ' +
      '(CI runs the e2e tier as root); it is not skipped because zone isolation is part of what it proves',
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes `strait-<pid>-*` namespaces and `st<pid>-*` links left by test processes that are no
 * longer running (a test killed before its clean-up). Returns what it deleted.
 */
export function removeStaleNetworks(): string[] {
  const removed: string[] = [];
  for (const line of ip(['netns', 'list']).split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const pid = /^strait-(\d+)-/.exec(name)?.[1];
    if (pid === undefined || alive(Number(pid))) continue;
    ip(['netns', 'delete', name]);
    removed.push(name);
  }
  const links = JSON.parse(ip(['-j', 'link', 'show'])) as Array<{ ifname: string }>;
  for (const { ifname } of links) {
    const pid = /^st(\d+)-\d+$/.exec(ifname)?.[1];
    if (pid === undefined || alive(Number(pid))) continue;
    ip(['link', 'delete', ifname]);
    removed.push(ifname);
  }
  return removed;
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
}

function toInt(address: string): number {
  return address.split('.').reduce((n, octet) => ((n << 8) | Number(octet)) >>> 0, 0);
}

/** IPv4 prefixes the root namespace already uses (its addresses and every route but the default). */
function usedPrefixes(): Array<{ base: number; len: number }> {
  const used: Array<{ base: number; len: number }> = [];
  const addrs = JSON.parse(ip(['-j', '-4', 'addr', 'show'])) as Array<{
    addr_info?: Array<{ local: string; prefixlen: number }>;
  }>;
  for (const a of addrs) for (const i of a.addr_info ?? []) used.push({ base: toInt(i.local), len: i.prefixlen });
  const routes = JSON.parse(ip(['-j', '-4', 'route', 'show', 'table', 'all'])) as Array<{ dst: string }>;
  for (const { dst } of routes) {
    if (dst === 'default') continue;
    const [addr = '', len] = dst.split('/');
    used.push({ base: toInt(addr), len: len === undefined ? 32 : Number(len) });
  }
  return used;
}

function overlaps(a: { base: number; len: number }, b: { base: number; len: number }): boolean {
  const len = Math.min(a.len, b.len);
  const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
  return (a.base & mask) >>> 0 === (b.base & mask) >>> 0;
}

/** A free /30 from the benchmarking range, starting at a pid-derived spot so parallel tests spread out. */
function freeSubnet(taken: Set<number>): number {
  const used = usedPrefixes();
  for (let i = 0; i < RANGE_SUBNETS; i++) {
    const k = (process.pid * 7 + i) % RANGE_SUBNETS;
    const base = (RANGE_START + k * 4) >>> 0;
    if (taken.has(base)) continue;
    if (!used.some((u) => overlaps(u, { base, len: 30 }))) return base;
  }
  throw new Error('no free /30 left in 198.18.0.0/15 for a test zone');
}

/** Whether more than one interface of the root namespace holds `address` (a parallel test raced us). */
function heldTwice(address: string): boolean {
  const addrs = JSON.parse(ip(['-j', '-4', 'addr', 'show'])) as Array<{ addr_info?: Array<{ local: string }> }>;
  return addrs.filter((a) => (a.addr_info ?? []).some((i) => i.local === address)).length > 1;
}

const live = new Set<ZoneNetworks>();
let exitHooked = false;

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  const cleanAll = (): void => {
    for (const n of live) n.destroy();
  };
  process.once('exit', cleanAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanAll();
      process.kill(process.pid, signal);
    });
  }
}

/**
 * Creates one namespace per zone, each linked to the root namespace by its own /30
 * (root side `.1`, zone side `.2`), loopback up, and no route anywhere else. Removes stale
 * namespaces of dead test processes first. Throws a clear error when not run as root.
 */
export function createZoneNetworks(zoneNames: readonly string[]): ZoneNetworks {
  requireRoot();
  removeStaleNetworks();
  hookExit();
  const created: ZoneNetwork[] = [];
  const links: string[] = [];
  let destroyed = false;
  const networks: ZoneNetworks = {
    zones: created,
    get(zone) {
      const found = created.find((z) => z.zone === zone);
      if (found === undefined) throw new Error(`no test network for zone "${zone}"`);
      return found;
    },
    allowRoute(from, rootAddress) {
      ip(['-n', from.netns, 'route', 'add', `${rootAddress}/32`, 'via', from.rootAddress]);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      live.delete(networks);
      // Deleting a namespace deletes the veth inside it, and with it the root-side peer.
      for (const z of created) {
        try {
          ip(['netns', 'delete', z.netns]);
        } catch {
          // already gone
        }
      }
      for (const link of links) {
        try {
          ip(['link', 'delete', link]);
        } catch {
          // already gone with its peer
        }
      }
    },
  };
  live.add(networks);
  try {
    const taken = new Set<number>();
    zoneNames.forEach((zone, i) => {
      const netns = `${NAMESPACE_PREFIX}${process.pid}-${zone}`;
      const rootLink = `st${process.pid}-${i}`;
      ip(['netns', 'add', netns]);
      created.push(linkZone(zone, netns, rootLink, taken));
      links.push(rootLink);
    });
  } catch (err) {
    networks.destroy();
    throw err;
  }
  return networks;
}

function linkZone(zone: string, netns: string, rootLink: string, taken: Set<number>): ZoneNetwork {
  const zoneLink = `${rootLink}z`;
  ip(['link', 'add', rootLink, 'type', 'veth', 'peer', 'name', zoneLink, 'netns', netns]);
  ip(['-n', netns, 'link', 'set', 'lo', 'up']);
  for (let attempt = 0; ; attempt++) {
    const base = freeSubnet(taken);
    taken.add(base);
    const rootAddress = toIp(base + 1);
    const zoneAddress = toIp(base + 2);
    ip(['addr', 'add', `${rootAddress}/30`, 'dev', rootLink]);
    if (heldTwice(rootAddress)) {
      ip(['addr', 'delete', `${rootAddress}/30`, 'dev', rootLink]);
      if (attempt >= 5) throw new Error(`parallel tests keep taking the same test subnet (last ${rootAddress}/30)`);
      continue;
    }
    ip(['link', 'set', rootLink, 'up']);
    ip(['-n', netns, 'addr', 'add', `${zoneAddress}/30`, 'dev', zoneLink]);
    ip(['-n', netns, 'link', 'set', zoneLink, 'up']);
    return { zone, netns, rootAddress, zoneAddress };
  }
}

/** Starts a process inside `netns` (`ip netns exec` execs in place: same pid, same process group). */
export function startInNetns(netns: string, options: StartProcessOptions): ProcessHandle {
  return startProcess({ ...options, command: 'ip', args: ['netns', 'exec', netns, options.command, ...options.args] });
}

/** Starts `strait <args>` inside `netns`, as `startStrait` does in the root namespace. */
export function startStraitInNetns(
  netns: string,
  name: string,
  args: readonly string[],
  env: Record<string, string> = {},
  logFile?: string,
): ProcessHandle {
  return startInNetns(netns, {
    name,
    command: process.execPath,
    args: [straitBin, ...args],
    env: { STRAIT_LOG_LEVEL: 'info', ...env },
    ...(logFile === undefined ? {} : { logFile }),
  });
}
