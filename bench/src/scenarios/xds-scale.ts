/**
 * xds-scale: one real zone CP process and N simulated proxies on real delta ADS streams (TLS,
 * dataplane tokens), each with one inbound and a few outbounds over a fixed set of services.
 * Measures how long the whole fleet takes to get its first config, what each connected proxy
 * costs the CP in memory, and how fast one MeshTrafficPermission change reaches every proxy.
 * The run itself is `xds-scale/run-xds-scale.ts`; this file turns its figures into the table.
 */

import type { Distribution } from '../report/stats.js';
import { formatMs, formatNumber } from '../report/table.js';
import type { Scenario, ScenarioReport } from '../scenario.js';
import { formatLogProblems, passThroughOptions, type Row, runEachSize, sizeNotes, sizeTable } from './per-size.js';
import { runXdsScale, type XdsScaleResult } from './xds-scale/run-xds-scale.js';

export type { XdsScaleOptions, XdsScaleResult } from './xds-scale/run-xds-scale.js';
export { runXdsScale } from './xds-scale/run-xds-scale.js';

const TARGETS = {
  firstConfig: '≤ 30 s at 5,000',
  policyP99: 'p99 ≤ 1 s at 5,000',
  perProxyKb: '< 100 KB',
} as const;

function distribution(d: Distribution | undefined): string {
  return d === undefined ? '—' : `${formatMs(d.p50)} / ${formatMs(d.p99)} / ${formatMs(d.max)}`;
}

function mib(kb: number): string {
  return `${formatNumber(kb / 1024)} MiB`;
}

function refusals(r: XdsScaleResult): string {
  const entries = Object.entries(r.firstConfig.refusedByStatus);
  if (entries.length === 0) return `${formatNumber(r.firstConfig.streamsOpened)} (none ended early)`;
  return `${formatNumber(r.firstConfig.streamsOpened)} (ended early: ${entries.map(([k, v]) => `${formatNumber(v)} ${k}`).join(', ')})`;
}

/** Table rows: label, target, and a formatter per result. */
const ROWS: readonly Row<XdsScaleResult>[] = [
  [
    'register N Dataplanes over REST (32 in flight)',
    '—',
    (r) => `${formatMs(r.registrationMs)} (${formatNumber(r.proxies / (r.registrationMs / 1000))}/s)`,
  ],
  [
    'proxies configured (CDS+EDS+SDS+LDS ACKed)',
    'all',
    (r) => `${formatNumber(r.firstConfig.configured)} / ${formatNumber(r.proxies)}`,
  ],
  [
    'first config, whole fleet (first stream open → last LDS ACK)',
    TARGETS.firstConfig,
    (r) => `${formatMs(r.firstConfig.totalMs)}${r.firstConfig.timedOut ? ' (deadline hit)' : ''}`,
  ],
  ['time to first config per proxy, p50 / p99 / max', '—', (r) => distribution(r.firstConfig.perProxyMs)],
  ['ADS streams opened', '—', refusals],
  [
    'CP RSS: ready / N registered / N configured',
    '—',
    (r) => `${mib(r.memory.readyKb)} / ${mib(r.memory.registeredKb)} / ${mib(r.memory.configuredKb)}`,
  ],
  ['CP RSS per proxy: (configured − ready) / N', TARGETS.perProxyKb, (r) => `${formatNumber(r.memory.perProxyKb)} KiB`],
  [
    'of which the connected stream: (configured − registered) / N',
    '—',
    (r) => `${formatNumber(r.memory.perConnectedProxyKb)} KiB`,
  ],
  [
    'CP V8 heap used: ready / N configured → per proxy',
    '—',
    (r) =>
      r.memory.heapReadyKb === undefined || r.memory.heapConfiguredKb === undefined
        ? '—'
        : `${mib(r.memory.heapReadyKb)} / ${mib(r.memory.heapConfiguredKb)} → ${formatNumber((r.memory.heapConfiguredKb - r.memory.heapReadyKb) / r.proxies)} KiB`,
  ],
  ['CP RSS after the policy change / peak', '—', (r) => `${mib(r.memory.afterPolicyKb)} / ${mib(r.memory.peakKb)}`],
  ['policy change: PUT MeshTrafficPermission', '—', (r) => formatMs(r.policy.apiMs)],
  ['policy change → LDS ACK per proxy, p50 / p99 / max', TARGETS.policyP99, (r) => distribution(r.policy.perProxyMs)],
  [
    'proxies that ACKed the change (inbound listener in it)',
    'all',
    (r) => `${formatNumber(r.policy.observed)} / ${formatNumber(r.proxies)} (${formatNumber(r.policy.inboundChanged)})`,
  ],
  [
    'CP CPU: connect phase / policy phase / whole run incl. start-up',
    '—',
    (r) => `${formatMs(r.cpu.cpConnectMs)} / ${formatMs(r.cpu.cpPolicyMs)} / ${formatMs(r.cpu.cpTotalMs)}`,
  ],
  [
    'close all streams, then SIGTERM → CP exited',
    '—',
    (r) => `${formatMs(r.shutdown.ms)}${r.shutdown.killed ? ' (SIGKILL after 30 s grace)' : ''}`,
  ],
  [
    'bench client CPU: connect phase / whole run',
    '—',
    (r) => `${formatMs(r.cpu.clientConnectMs)} / ${formatMs(r.cpu.clientTotalMs)}`,
  ],
  [
    'other processes’ CPU meanwhile (first stream → policy settled)',
    '≈ 0',
    (r) => `${formatMs(r.cpu.othersMs)} over ${formatMs(r.cpu.spanMs)} wall`,
  ],
];

const ABOUT = [
  'One real zone CP process (`strait zone-cp run`, SQLite store in a temp dir unless `--store memory`, loopback ports, log level info)',
  'and N simulated proxies in the bench process: real gRPC **delta** ADS streams over TLS (verified against the',
  "CP's generated CA), one dataplane token in the `authorization` metadata of every stream, spread over N/100",
  'channels (one HTTP/2 connection each). Each proxy behaves like Envoy on the wire: wildcard CDS and LDS,',
  'EDS and SDS subscriptions for what its clusters name, an ACK for every response, and a jittered exponential',
  'retry (500 ms base, 30 s cap) when the CP ends its stream. Mesh `default` runs builtin-CA mTLS so that',
  'MeshTrafficPermission renders as RBAC on every inbound listener. Proxy *i* implements `svc-(i % 100)`',
  '(http) and consumes the next 5 services; the N Dataplanes are registered over REST first (32 in flight).',
  'Figures: (a) per-proxy time from its first stream open to its first LDS ACK (the CP sends LDS only after',
  'CDS, EDS and SDS are ACKed, so that is a complete config) and the time until the whole fleet has it;',
  '(b) CP RSS from /proc before and after, per proxy; (c) after the `allow-all` MeshTrafficPermission gains a',
  'Deny rule for a service no proxy is (which changes every inbound RBAC), the time from the PUT returning',
  'until each proxy ACKed the LDS response that followed. **Caveats:** the bench client runs on the same cores',
  'as the CP, so every figure includes CPU contention (the client CPU time is in the table); RSS and heap include',
  'garbage not yet collected, so per-proxy memory is an upper bound and moves between runs with GC timing;',
  'one run per size, no warm-up; the CP runs from TypeScript sources through tsx (start-up CPU, some MiB of RSS).',
].join(' ');

/** The registered scenario. */
export const xdsScaleScenario: Scenario = {
  name: 'xds-scale',
  summary: 'a zone CP serving N fake Envoys over delta ADS: first config, memory per proxy, policy fan-out',
  about: ABOUT,
  defaultSizes: [1_000, 5_000],
  smokeSizes: [50],
  async run(options): Promise<ScenarioReport> {
    const results = await runEachSize(options, 'xds-scale', 'N', (proxies) =>
      runXdsScale({ proxies, log: options.log, ...passThroughOptions(options) }),
    );
    const notes = sizeNotes(
      options.sizes,
      'N',
      results,
      (r) =>
        `${r.services} services over ${r.channels} gRPC channel(s), ${r.storeType} store; ` +
        `CP log problems: ${formatLogProblems(r.cpLogProblems)}${r.keptLog === undefined ? '' : `; log kept at ${r.keptLog}`}`,
    );
    notes.push(
      'The bench client (simulated proxies) and the CP share the same cores: client CPU time is listed above; figures include that contention.',
    );
    const endedEarly = results.some(
      (r) => !(r instanceof Error) && Object.keys(r.firstConfig.refusedByStatus).length > 0,
    );
    if (endedEarly) {
      notes.push(
        'Streams the CP ends early (UNAVAILABLE: its new-stream admission queue is full) are retried with jittered exponential backoff (500 ms base, 30 s cap), as Envoy does; per-proxy time to first config counts from the proxy’s first attempt, so it includes admission waits and backoff.',
      );
    }
    return {
      table: sizeTable(options.sizes, 'N', ROWS, results),
      notes,
      failed: results.some((r) => r instanceof Error),
      nothingMeasured: results.every((r) => r instanceof Error),
    };
  },
};
