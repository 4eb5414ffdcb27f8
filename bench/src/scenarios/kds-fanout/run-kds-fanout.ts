/**
 * One run of kds-fanout: a real global CP process and Z zones in the bench process (each its own
 * memory store and the zone CP's real KDS client over gRPC + TLS, with a real zone token).
 * Phases: start the global and mint the zone tokens; connect the Z zones at once and wait until
 * they are quiet; rewrite one policy on the global round after round and time its arrival in
 * every zone's store; then one more zone, whose store holds N Dataplanes, connects and the
 * global must store them all. Global memory and CPU are read from /proc between phases.
 */

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinRegistry, type Logger } from '@strait/shared';
import { forEachBounded } from '../../harness/bounded.js';
import { cpHeapUsedKb } from '../../harness/cp-heap.js';
import { type GlobalCpProcess, startGlobalCpProcess } from '../../harness/global-cp-process.js';
import { machineBusyMs, ownCpuMs, processCpuMs, processMemory } from '../../harness/proc-stats.js';
import { createRestClient } from '../../harness/rest-client.js';
import { waitFor } from '../../harness/wait-for.js';
import { type BenchZone, startBenchZone } from '../../kds/bench-zone.js';
import { createProblemLogger } from '../../kds/problem-logger.js';
import { formatMs } from '../../report/table.js';
import { type LogProblem, logProblems } from '../xds-scale/cp-log-problems.js';
import { type DataplaneSyncResult, syncDataplanes, zoneStoreWithDataplanes } from './dataplane-sync.js';
import { MESH, type PolicyRoundsResult, runPolicyRounds } from './policy-rounds.js';

/** Options of {@link runKdsFanout}. */
export interface KdsFanoutOptions {
  /** Zones connected for the fan-out (Z). */
  readonly zones: number;
  /** Measured policy rounds; default 40. */
  readonly rounds?: number;
  /** Dataplanes of the initial-sync zone; default 10,000. */
  readonly dataplanes?: number;
  /** The global's store; default `sqlite` (the product default). */
  readonly storeType?: 'sqlite' | 'memory';
  /** No zone store change for this long counts as quiet; default 1 s. */
  readonly quietMs?: number;
  /** Global log level; default `info`. */
  readonly cpLogLevel?: string;
  /** When set, the global writes a V8 CPU profile here. */
  readonly cpuProfileDir?: string;
  /** When set, the global's log is copied here before the temp dir goes. */
  readonly keepLogsDir?: string;
  readonly log?: (line: string) => void;
}

/** CPU counters at one instant: the global's, this process's, the whole machine's (ms). */
interface CpuMark {
  readonly global: number;
  readonly bench: number;
  readonly machine: number;
  readonly atMs: number;
}

/** CPU spent over a phase (ms). */
export interface PhaseCpu {
  readonly globalMs: number;
  /** This process: the zones, their stores and the measuring. */
  readonly benchMs: number;
  /** Every other process on the machine (other engineers' work on a shared machine). */
  readonly othersMs: number;
  readonly wallMs: number;
}

/** Global memory at one instant (KiB); heap undefined when /metrics does not report it. */
export interface MemoryMark {
  readonly rssKb: number;
  readonly heapKb: number | undefined;
}

/** Figures of one run. Times in ms, memory in KiB. */
export interface KdsFanoutResult {
  readonly zones: number;
  readonly storeType: 'sqlite' | 'memory';
  /** Zones dialing → every zone connected and its store quiet. */
  readonly connectMs: number;
  /** Resources each zone holds after the initial sync (all equal). */
  readonly resourcesPerZone: number;
  readonly policy: PolicyRoundsResult;
  readonly sync: DataplaneSyncResult;
  /** Building the initial-sync zone's store (bench side, before it connects). */
  readonly syncStoreBuildMs: number;
  readonly memory: {
    readonly ready: MemoryMark;
    readonly connected: MemoryMark;
    readonly afterRounds: MemoryMark;
    readonly afterSync: MemoryMark;
    readonly peakRssKb: number;
  };
  readonly cpu: {
    readonly connect: PhaseCpu;
    readonly rounds: PhaseCpu;
    readonly sync: PhaseCpu;
    /** The global from its start (tsx start-up included) to the end. */
    readonly globalTotalMs: number;
  };
  /** 1-minute load average at the start and the end of the run. */
  readonly loadAverage: readonly [number, number];
  /** Warnings and errors in the global's log, and in the in-process zones' logs. */
  readonly globalLogProblems: readonly LogProblem[];
  readonly zoneLogProblems: readonly LogProblem[];
  readonly keptLog?: string;
}

/** The machine's 1-minute load average (other engineers' work shows up here). */
function loadAverage1m(): number {
  return Number((loadavg()[0] ?? 0).toFixed(2));
}

function phase(from: CpuMark, to: CpuMark): PhaseCpu {
  const globalMs = to.global - from.global;
  const benchMs = to.bench - from.bench;
  return {
    globalMs,
    benchMs,
    othersMs: Math.max(0, to.machine - from.machine - globalMs - benchMs),
    wallMs: to.atMs - from.atMs,
  };
}

/** Runs the scenario once for `options.zones` zones; see the file comment. */
export async function runKdsFanout(options: KdsFanoutOptions): Promise<KdsFanoutResult> {
  const z = options.zones;
  const n = options.dataplanes ?? 10_000;
  const storeType = options.storeType ?? 'sqlite';
  const say = (line: string) => options.log?.(`[kds-fanout Z=${z}] ${line}`);
  const loadAtStart = loadAverage1m();
  const dir = mkdtempSync(join(tmpdir(), 'strait-bench-kds-'));
  const zoneLog = createProblemLogger();
  const zones: BenchZone[] = [];
  let global: GlobalCpProcess | undefined;
  try {
    global = await startGlobalCpProcess({
      dataDir: dir,
      storeType,
      logFile: join(dir, 'global-cp.log'),
      ...(options.cpLogLevel === undefined ? {} : { logLevel: options.cpLogLevel }),
      ...(options.cpuProfileDir === undefined
        ? {}
        : { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] }),
    });
    const g = global;
    const rest = createRestClient(g.apiUrl);
    const mark = (): CpuMark => ({
      global: processCpuMs(g.pid),
      bench: ownCpuMs(),
      machine: machineBusyMs(),
      atMs: performance.now(),
    });
    const memory = async (): Promise<MemoryMark> => ({
      rssKb: processMemory(g.pid).rssKb,
      heapKb: await cpHeapUsedKb(g.diagnosticsUrl),
    });
    say(`global CP ready (pid ${g.pid}, ${storeType} store, KDS ${g.kdsAddress})`);
    await waitFor(() => rest.get(`/meshes/${MESH}`), { timeoutMs: 30_000, what: `mesh ${MESH} on the global` });
    const names = Array.from({ length: z + 1 }, (_, i) => (i < z ? `zone-${i + 1}` : 'zone-sync'));
    const tokens = new Map<string, string>();
    await forEachBounded(names.length, 8, async (i) => {
      const zone = names[i] as string;
      tokens.set(zone, await rest.postText('/tokens/zone', { zone, scope: ['cp'] }));
    });
    const ready = await memory();

    const beforeConnect = mark();
    const connectMs = await connectZones(z, names, tokens, g, zoneLog.logger, zones, options.quietMs ?? 1_000, say);
    const resourcesPerZone = await sameResourceCount(zones);
    const afterConnect = mark();
    const connected = await memory();
    say(
      `global RSS ${mib(ready.rssKb)} → ${mib(connected.rssKb)} with ${z} zones (${(connected.rssKb - ready.rssKb) / z} KiB/zone)`,
    );

    const policy = await runPolicyRounds({ rest, zones, rounds: options.rounds ?? 40, say });
    const afterRounds = mark();
    const afterRoundsMemory = await memory();
    say(
      `policy rounds: p50 ${formatMs(policy.perZoneMs?.p50)}, p99 ${formatMs(policy.perZoneMs?.p99)}, max ${formatMs(policy.perZoneMs?.max)} (${policy.missing} missing)`,
    );

    const buildStart = performance.now();
    const store = await zoneStoreWithDataplanes(n);
    const syncStoreBuildMs = performance.now() - buildStart;
    say(`built the sync zone's store with ${n} Dataplanes in ${formatMs(syncStoreBuildMs)}`);
    const beforeSync = mark();
    const { result: sync, zone: syncZone } = await syncDataplanes({
      rest,
      zone: 'zone-sync',
      kdsAddress: g.kdsAddress,
      caPem: g.caPem,
      token: tokens.get('zone-sync') as string,
      logger: zoneLog.logger,
      store,
      dataplanes: n,
      say,
    });
    zones.push(syncZone);
    const afterSync = mark();
    const afterSyncMemory = await memory();
    say(
      `initial sync of ${n} Dataplanes: first response sent at ${formatMs(sync.firstSentMs)}, ACKed at ${formatMs(sync.ackedMs)}, counted by the API at ${formatMs(sync.apiMs)}`,
    );
    const peakRssKb = processMemory(g.pid).peakRssKb;
    const globalTotalMs = processCpuMs(g.pid);

    await Promise.all(zones.splice(0).map((zone) => zone.close()));
    await g.stop();
    const keptLog = options.keepLogsDir === undefined ? undefined : join(options.keepLogsDir, `kds-fanout-${z}.log`);
    if (keptLog !== undefined) copyFileSync(g.logFile, keptLog);
    return {
      zones: z,
      storeType,
      connectMs,
      resourcesPerZone,
      policy,
      sync,
      syncStoreBuildMs,
      memory: { ready, connected, afterRounds: afterRoundsMemory, afterSync: afterSyncMemory, peakRssKb },
      cpu: {
        connect: phase(beforeConnect, afterConnect),
        rounds: phase(afterConnect, afterRounds),
        sync: phase(beforeSync, afterSync),
        globalTotalMs,
      },
      loadAverage: [loadAtStart, loadAverage1m()],
      globalLogProblems: logProblems(g.logFile),
      zoneLogProblems: zoneLog.problems(),
      ...(keptLog === undefined ? {} : { keptLog }),
    };
  } catch (err) {
    if (global !== undefined && err instanceof Error)
      err.message += `\nlast lines of the global's log:\n${global.logTail(15)}`;
    throw err;
  } finally {
    await Promise.all(zones.map((zone) => zone.close()));
    await global?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function mib(kb: number): string {
  return `${Math.round(kb / 1024)} MiB`;
}

/**
 * Starts `z` zones at once and waits until every one is connected, holds mesh `default` from the
 * global (its initial sync has landed: connected alone only means the global's first heartbeat
 * came) and no zone store has changed for `quietMs`; returns the time from the first dial to the
 * last change.
 */
async function connectZones(
  z: number,
  names: readonly string[],
  tokens: ReadonlyMap<string, string>,
  global: GlobalCpProcess,
  logger: Logger,
  zones: BenchZone[],
  quietMs: number,
  say: (line: string) => void,
): Promise<number> {
  const startedAt = performance.now();
  let lastChangeAt = startedAt;
  const unsubscribes: (() => void)[] = [];
  for (let i = 0; i < z; i += 1) {
    const zone = names[i] as string;
    const started = await startBenchZone({
      zone,
      kdsAddress: global.kdsAddress,
      caPem: global.caPem,
      token: tokens.get(zone) as string,
      logger,
    });
    zones.push(started);
    unsubscribes.push(
      started.store.subscribe(() => {
        lastChangeAt = performance.now();
      }),
    );
  }
  try {
    const synced = new Set<BenchZone>();
    await waitFor(
      async () => {
        for (const zone of zones) {
          if (!synced.has(zone) && zone.client.connected && (await zone.store.get({ type: 'Mesh', name: MESH }))) {
            synced.add(zone);
          }
        }
        return synced.size === zones.length && performance.now() - lastChangeAt >= quietMs;
      },
      {
        timeoutMs: 60_000 + 1_000 * z,
        what: `all ${z} zones to connect and sync`,
      },
    );
  } finally {
    for (const unsubscribe of unsubscribes) unsubscribe();
  }
  const ms = lastChangeAt - startedAt;
  say(`${z} zones connected and synced in ${formatMs(ms)}`);
  return ms;
}

/** The number of resources every zone holds (of every type); throws when the zones disagree. */
async function sameResourceCount(zones: readonly BenchZone[]): Promise<number> {
  const types = builtinRegistry.all().map((d) => d.name);
  const sizes = await Promise.all(
    zones.map(async (zone) => {
      let total = 0;
      for (const type of types) total += (await zone.store.list({ type, size: 1 })).total;
      return total;
    }),
  );
  const distinct = [...new Set(sizes)];
  if (distinct.length !== 1 || distinct[0] === 0)
    throw new Error(`zones should hold the same resources, and some, after the initial sync: ${sizes.join(', ')}`);
  return distinct[0] ?? 0;
}
