/**
 * One run of xds-scale: a real zone CP process and N simulated proxies on real delta ADS
 * streams (TLS, dataplane tokens). Phases: start the CP and turn on mesh mTLS; register the N
 * Dataplanes over REST; open every stream at once and wait until every proxy is configured;
 * change the `allow-all` MeshTrafficPermission and wait until every proxy ACKed the LDS update;
 * close everything. CP memory and CPU are read from /proc between phases.
 */

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachBounded } from '../../harness/bounded.js';
import { cpHeapUsedKb } from '../../harness/cp-heap.js';
import { machineBusyMs, ownCpuMs, processCpuMs, processMemory } from '../../harness/proc-stats.js';
import { createRestClient, type RestClient } from '../../harness/rest-client.js';
import { waitFor } from '../../harness/wait-for.js';
import { startZoneCpProcess, type ZoneCpProcess } from '../../harness/zone-cp-process.js';
import { type Distribution, summarize } from '../../report/stats.js';
import { formatMs } from '../../report/table.js';
import { createProxyFleet, type ProxyFleet } from '../../xds/proxy-fleet.js';
import { type LogProblem, logProblems } from './cp-log-problems.js';
import { configuredAt, createFleetWatch, endedEarlyByStatus, type FleetWatch } from './fleet-watch.js';
import {
  dataplaneName,
  dataplaneOf,
  inboundListenerName,
  MESH,
  nodeIdOf,
  PERMISSION,
  permissionWithDeny,
  serviceName,
  setUpMesh,
} from './mesh-layout.js';

/** Options of {@link runXdsScale}. */
export interface XdsScaleOptions {
  /** Simulated proxies (and Dataplanes). */
  readonly proxies: number;
  /** Distinct services; proxy i implements `svc-(i % services)`; default 100. */
  readonly services?: number;
  /** Services each proxy consumes (the next ones after its own); default 5. */
  readonly outboundsPerProxy?: number;
  /** Streams per gRPC channel (TCP connection); default 100. */
  readonly proxiesPerChannel?: number;
  /** Dataplane registrations in flight; default 32. */
  readonly registerConcurrency?: number;
  /** Default `sqlite` (the product default). */
  readonly storeType?: 'sqlite' | 'memory';
  /** Deadline for every proxy's first config; default 60 s + 40 ms per proxy. */
  readonly firstConfigTimeoutMs?: number;
  /** Deadline for the policy change to reach every proxy; default 60 s. */
  readonly policyTimeoutMs?: number;
  /** No xDS response for this long counts as settled (before memory is read); default 1 s. */
  readonly quietMs?: number;
  /** CP log level; default `info`. */
  readonly cpLogLevel?: string;
  /** When set, the CP writes a V8 CPU profile here. */
  readonly cpuProfileDir?: string;
  /** When set, the CP log is copied here before the temp dir goes. */
  readonly keepLogsDir?: string;
  readonly log?: (line: string) => void;
}

/** The first-config phase. */
export interface FirstConfigFigures {
  /** Proxies that ACKed both their first CDS and first LDS response. */
  readonly configured: number;
  /** From opening the first stream until the last proxy was configured (or the deadline). */
  readonly totalMs: number;
  /** Per proxy, from its first stream open to its first LDS ACK. */
  readonly perProxyMs: Distribution | undefined;
  readonly streamsOpened: number;
  /** Streams the CP ended before the proxy was done, by gRPC status name. */
  readonly refusedByStatus: Readonly<Record<string, number>>;
  readonly timedOut: boolean;
}

/** The policy-change phase. */
export interface PolicyFigures {
  readonly apiMs: number;
  /** Proxies that ACKed an LDS response received after the change. */
  readonly observed: number;
  /** Of those, the ones whose response carried their inbound listener (the RBAC change). */
  readonly inboundChanged: number;
  /** Per proxy, from the API call returning to its ACK of that LDS response. */
  readonly perProxyMs: Distribution | undefined;
  readonly timedOut: boolean;
}

/** Figures of one run. Times in ms, memory in KiB. */
export interface XdsScaleResult {
  readonly proxies: number;
  readonly services: number;
  readonly channels: number;
  readonly storeType: 'sqlite' | 'memory';
  readonly registrationMs: number;
  readonly firstConfig: FirstConfigFigures;
  readonly memory: {
    readonly readyKb: number;
    readonly registeredKb: number;
    readonly configuredKb: number;
    readonly afterPolicyKb: number;
    readonly peakKb: number;
    /** (configured − ready) / proxies: Dataplane in the store plus its stream and config. */
    readonly perProxyKb: number;
    /** (configured − registered) / proxies: the connected stream and its config only. */
    readonly perConnectedProxyKb: number;
    /** V8 heap used (from the CP's /metrics) when ready and when configured; undefined if unreported. */
    readonly heapReadyKb: number | undefined;
    readonly heapConfiguredKb: number | undefined;
  };
  readonly policy: PolicyFigures;
  readonly cpu: {
    /** CP CPU from the first stream open until the fleet was configured and quiet. */
    readonly cpConnectMs: number;
    readonly cpPolicyMs: number;
    readonly cpTotalMs: number;
    /** This process (the simulated proxies and the REST client) over the whole run. */
    readonly clientTotalMs: number;
    readonly clientConnectMs: number;
    /**
     * Every other process on the machine, from the first stream open to the end of the policy
     * phase: what else competed for the cores (other builds or tests on a shared machine).
     */
    readonly othersMs: number;
    /** Wall time of that same span, to read `othersMs` against (cores × wall is the machine's capacity). */
    readonly spanMs: number;
  };
  /** Closing every stream, then SIGTERM until the CP exited (SIGKILL after 30 s). */
  readonly shutdown: { readonly ms: number; readonly killed: boolean };
  /** Warnings and errors in the CP log, by message (most frequent first). */
  readonly cpLogProblems: readonly LogProblem[];
  /** Path of the kept CP log, when asked for. */
  readonly keptLog?: string;
}

/** CPU counters at one instant: the CP's, this process's, and the whole machine's. */
interface CpuMark {
  readonly cp: number;
  readonly client: number;
  readonly machine: number;
}

/** What the phases share. */
interface Run {
  readonly n: number;
  readonly options: XdsScaleOptions;
  readonly cp: ZoneCpProcess;
  readonly rest: RestClient;
  readonly say: (line: string) => void;
  cpuMark(): CpuMark;
  rssKb(): number;
}

/** Runs the scenario once for `options.proxies` proxies; see the file comment. */
export async function runXdsScale(options: XdsScaleOptions): Promise<XdsScaleResult> {
  const n = options.proxies;
  const services = options.services ?? 100;
  const outbounds = Math.min(options.outboundsPerProxy ?? 5, services - 1);
  const channels = Math.max(1, Math.ceil(n / (options.proxiesPerChannel ?? 100)));
  const storeType = options.storeType ?? 'sqlite';
  const say = (line: string) => options.log?.(`[xds-scale N=${n}] ${line}`);
  const clientCpuAtStart = ownCpuMs();
  const dir = mkdtempSync(join(tmpdir(), 'strait-bench-xds-'));
  let cp: ZoneCpProcess | undefined;
  let fleet: ProxyFleet | undefined;
  try {
    cp = await startZoneCpProcess({
      dataDir: dir,
      storeType,
      logFile: join(dir, 'zone-cp.log'),
      ...(options.cpLogLevel === undefined ? {} : { logLevel: options.cpLogLevel }),
      ...(options.cpuProfileDir === undefined
        ? {}
        : { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] }),
    });
    const { pid } = cp;
    const run: Run = {
      n,
      options,
      cp,
      rest: createRestClient(cp.apiUrl),
      say,
      cpuMark: () => ({ cp: processCpuMs(pid), client: ownCpuMs(), machine: machineBusyMs() }),
      rssKb: () => processMemory(pid).rssKb,
    };
    say(`zone CP ready (pid ${pid}, ${storeType} store, xDS ${cp.xdsAddress})`);
    await setUpMesh(run.rest);
    const token = await run.rest.postText('/tokens/dataplane', { type: 'dataplane', mesh: MESH });
    const readyKb = run.rssKb();
    const heapReadyKb = await cpHeapUsedKb(cp.diagnosticsUrl);

    const registrationStart = performance.now();
    await forEachBounded(n, options.registerConcurrency ?? 32, (i) =>
      run.rest.put(`/meshes/${MESH}/dataplanes/${dataplaneName(i)}`, dataplaneOf(i, services, outbounds)),
    );
    const registrationMs = performance.now() - registrationStart;
    say(`registered ${n} Dataplanes in ${formatMs(registrationMs)}`);
    const registeredKb = run.rssKb();

    const members = Array.from({ length: n }, (_, i) => ({ nodeId: nodeIdOf(i), cluster: serviceName(i % services) }));
    const watch = createFleetWatch(new Map(members.map((m, i) => [m.nodeId, i])), inboundListenerName);
    fleet = createProxyFleet({
      address: cp.xdsAddress,
      caPem: cp.caPem,
      token,
      members,
      channels,
      observer: watch.observer,
    });

    const beforeConnect = run.cpuMark();
    const openedAtMs = performance.now();
    const firstConfig = await connectFleet(run, fleet, channels, openedAtMs);
    await waitQuiet(run, watch, 'the fleet to settle after first config');
    const configuredKb = run.rssKb();
    const heapConfiguredKb = await cpHeapUsedKb(cp.diagnosticsUrl);
    const afterConnect = run.cpuMark();

    const policy = await changePolicy(run, watch, fleet);
    await waitQuiet(run, watch, 'the fleet to settle after the policy change');
    const after = processMemory(pid);
    const end = run.cpuMark();
    const spanMs = performance.now() - openedAtMs;

    const closingAtMs = performance.now();
    fleet.close();
    fleet = undefined;
    const stopped = await cp.stop();
    const shutdown = { ms: performance.now() - closingAtMs, killed: stopped.killed };
    say(`closed the streams and stopped the CP in ${formatMs(shutdown.ms)}${shutdown.killed ? ' (SIGKILL)' : ''}`);
    const keptLog = options.keepLogsDir === undefined ? undefined : join(options.keepLogsDir, `xds-scale-${n}.log`);
    if (keptLog !== undefined) copyFileSync(cp.logFile, keptLog);

    return {
      proxies: n,
      services,
      channels,
      storeType,
      registrationMs,
      firstConfig,
      memory: {
        readyKb,
        registeredKb,
        configuredKb,
        afterPolicyKb: after.rssKb,
        peakKb: after.peakRssKb,
        perProxyKb: (configuredKb - readyKb) / n,
        perConnectedProxyKb: (configuredKb - registeredKb) / n,
        heapReadyKb,
        heapConfiguredKb,
      },
      policy,
      cpu: {
        cpConnectMs: afterConnect.cp - beforeConnect.cp,
        cpPolicyMs: end.cp - afterConnect.cp,
        cpTotalMs: end.cp,
        clientTotalMs: ownCpuMs() - clientCpuAtStart,
        clientConnectMs: afterConnect.client - beforeConnect.client,
        othersMs: Math.max(
          0,
          end.machine - beforeConnect.machine - (end.cp - beforeConnect.cp) - (end.client - beforeConnect.client),
        ),
        spanMs,
      },
      shutdown,
      cpLogProblems: logProblems(cp.logFile),
      ...(keptLog === undefined ? {} : { keptLog }),
    };
  } catch (err) {
    if (cp !== undefined && err instanceof Error) err.message += `\nlast lines of the CP log:\n${cp.logTail(15)}`;
    throw err;
  } finally {
    fleet?.close();
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Opens every stream at once and waits (to a deadline) until every proxy has its first config. */
async function connectFleet(
  run: Run,
  fleet: ProxyFleet,
  channels: number,
  openedAtMs: number,
): Promise<FirstConfigFigures> {
  const { proxies } = fleet;
  const progress = () => {
    const configured = proxies.filter((p) => configuredAt(p) !== undefined).length;
    const opened = proxies.reduce((sum, p) => sum + p.attempts, 0);
    const ended = Object.values(endedEarlyByStatus(proxies)).reduce((a, b) => a + b, 0);
    const rss = Math.round(run.rssKb() / 1024);
    return `${formatMs(performance.now() - openedAtMs)}: configured ${configured}/${run.n}, streams opened ${opened}, ended early ${ended}, CP RSS ${rss} MiB`;
  };
  await fleet.open();
  run.say(`opened ${run.n} streams over ${channels} channels in ${formatMs(performance.now() - openedAtMs)}`);
  let timedOut = false;
  let lastReportMs = performance.now();
  await waitFor(() => proxies.every((p) => configuredAt(p) !== undefined), {
    timeoutMs: run.options.firstConfigTimeoutMs ?? 60_000 + 40 * run.n,
    what: 'every proxy to ACK its first CDS and LDS',
    onPoll: () => {
      if (performance.now() - lastReportMs < 5_000) return;
      lastReportMs = performance.now();
      run.say(progress());
    },
  }).catch((err: unknown) => {
    timedOut = true;
    run.say(`${(err as Error).message}; ${progress()}`);
  });
  const times = proxies.map(configuredAt);
  const lastAtMs = times.reduce<number>((max, t) => Math.max(max, t ?? 0), openedAtMs);
  const figures: FirstConfigFigures = {
    configured: times.filter((t) => t !== undefined).length,
    totalMs: (timedOut ? performance.now() : lastAtMs) - openedAtMs,
    perProxyMs: summarize(
      proxies.flatMap((p, i) => {
        const at = times[i];
        return at === undefined || p.startedAtMs === undefined ? [] : [at - p.startedAtMs];
      }),
    ),
    streamsOpened: proxies.reduce((sum, p) => sum + p.attempts, 0),
    refusedByStatus: endedEarlyByStatus(proxies),
    timedOut,
  };
  run.say(`first config: ${progress()}; last at ${formatMs(figures.totalMs)}`);
  return figures;
}

/** Adds a Deny rule to `allow-all` and waits (to a deadline) until every configured proxy ACKed the LDS update. */
async function changePolicy(run: Run, watch: FleetWatch, fleet: ProxyFleet): Promise<PolicyFigures> {
  const configured = fleet.proxies.flatMap((p, i) => (configuredAt(p) === undefined ? [] : [i]));
  watch.armChange();
  const calledAtMs = performance.now();
  await run.rest.put(`/meshes/${MESH}/meshtrafficpermissions/${PERMISSION}`, permissionWithDeny());
  const returnedAtMs = performance.now();
  let timedOut = false;
  await waitFor(() => configured.every((i) => watch.changeAckedAtMs(i) !== undefined), {
    timeoutMs: run.options.policyTimeoutMs ?? 60_000,
    intervalMs: 20,
    what: 'every configured proxy to ACK the policy change',
  }).catch((err: unknown) => {
    timedOut = true;
    run.say((err as Error).message);
  });
  const indexes = fleet.proxies.map((_, i) => i);
  const latencies = indexes.flatMap((i) => {
    const at = watch.changeAckedAtMs(i);
    return at === undefined ? [] : [at - returnedAtMs];
  });
  const figures: PolicyFigures = {
    apiMs: returnedAtMs - calledAtMs,
    observed: latencies.length,
    inboundChanged: indexes.filter((i) => watch.changeHitInbound(i)).length,
    perProxyMs: summarize(latencies),
    timedOut,
  };
  run.say(
    `policy change: ${figures.observed}/${run.n} ACKed, p99 ${formatMs(figures.perProxyMs?.p99)}, max ${formatMs(figures.perProxyMs?.max)}`,
  );
  return figures;
}

/** Waits until no proxy has received anything for `quietMs` (a minute at most; then says so and goes on). */
async function waitQuiet(run: Run, watch: FleetWatch, what: string): Promise<void> {
  const quietMs = run.options.quietMs ?? 1_000;
  await waitFor(() => performance.now() - watch.lastResponseAtMs >= quietMs, { timeoutMs: 60_000, what }).catch(
    (err: unknown) => run.say(`not quiet: ${(err as Error).message}`),
  );
}
