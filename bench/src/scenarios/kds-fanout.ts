/**
 * kds-fanout: one real global CP process and Z zones over real KDS (gRPC + TLS, zone tokens).
 * Measures how long one policy write on the global takes to be stored by every zone, what each
 * connected zone costs the global in memory, and how long a zone's 10,000 Dataplanes take to
 * reach the global on its first connection. The run itself is `kds-fanout/run-kds-fanout.ts`;
 * this file turns its figures into the table.
 */

import type { Distribution } from '../report/stats.js';
import { formatMs, formatNumber } from '../report/table.js';
import type { Scenario, ScenarioReport } from '../scenario.js';
import type { KdsFanoutResult, MemoryMark, PhaseCpu } from './kds-fanout/run-kds-fanout.js';
import { runKdsFanout } from './kds-fanout/run-kds-fanout.js';
import { formatLogProblems, passThroughOptions, type Row, runEachSize, sizeNotes, sizeTable } from './per-size.js';

export type { KdsFanoutOptions, KdsFanoutResult } from './kds-fanout/run-kds-fanout.js';
export { runKdsFanout } from './kds-fanout/run-kds-fanout.js';

const TARGETS = {
  policyP99: 'p99 < 200 ms at 50 zones',
  sync: '< 10 s',
} as const;

function distribution(d: Distribution | undefined): string {
  return d === undefined ? '—' : `${formatMs(d.p50)} / ${formatMs(d.p99)} / ${formatMs(d.max)}`;
}

function mib(kb: number | undefined): string {
  return kb === undefined ? '—' : `${formatNumber(kb / 1024)} MiB`;
}

function heap(mark: MemoryMark): string {
  return mib(mark.heapKb);
}

function perZone(r: KdsFanoutResult, pick: (m: MemoryMark) => number | undefined): string {
  const before = pick(r.memory.ready);
  const after = pick(r.memory.connected);
  if (before === undefined || after === undefined) return '—';
  // A collection between the two readings can make the difference negative: nothing to divide.
  if (after < before) return `n/a (${formatNumber(before - after)} KiB collected meanwhile)`;
  return `${formatNumber((after - before) / r.zones)} KiB`;
}

function cpu(p: PhaseCpu): string {
  return `${formatMs(p.globalMs)} / ${formatMs(p.benchMs)} / ${formatMs(p.othersMs)} over ${formatMs(p.wallMs)}`;
}

/** Table rows: label, target, and a formatter per result. */
const ROWS: readonly Row<KdsFanoutResult>[] = [
  [
    'Z zones dial at once → all connected, stores quiet (resources per zone)',
    '—',
    (r) => `${formatMs(r.connectMs)} (${formatNumber(r.resourcesPerZone)})`,
  ],
  ['policy PUT on the global, p50 / p99 / max', '—', (r) => distribution(r.policy.putMs)],
  [
    'policy PUT start → stored in a zone, p50 / p99 / max (zones × rounds)',
    TARGETS.policyP99,
    (r) => distribution(r.policy.perZoneMs),
  ],
  [
    'policy PUT start → stored in every zone, p50 / p99 / max (per round)',
    '—',
    (r) => distribution(r.policy.allZonesMs),
  ],
  [
    'samples (zones × rounds) / never arrived',
    '0 missing',
    (r) => `${formatNumber(r.policy.perZoneMs?.count ?? 0)} / ${formatNumber(r.policy.missing)}`,
  ],
  ['Dataplanes in the sync zone’s store (N)', '10,000', (r) => formatNumber(r.sync.dataplanes)],
  ['sync zone connects → it wrote its first Dataplane response', '—', (r) => formatMs(r.sync.firstSentMs)],
  [
    '… → global ACKed them all',
    TARGETS.sync,
    (r) => (r.sync.ackedMs === undefined ? 'never' : formatMs(r.sync.ackedMs)),
  ],
  [
    '… → global API counts them all (polled every 100 ms)',
    TARGETS.sync,
    (r) =>
      r.sync.apiMs === undefined
        ? `never (${formatNumber(r.sync.counted)} counted)`
        : `${formatMs(r.sync.apiMs)} (${formatNumber(r.sync.dataplanes / (r.sync.apiMs / 1000))}/s)`,
  ],
  [
    'Dataplane responses sent up / serialized size',
    '—',
    (r) => `${formatNumber(r.sync.responses)} / ${mib(r.sync.bytes / 1024)}`,
  ],
  [
    'global RSS: ready / Z connected / after rounds / after sync / peak',
    '—',
    (r) =>
      [r.memory.ready, r.memory.connected, r.memory.afterRounds, r.memory.afterSync]
        .map((m) => mib(m.rssKb))
        .concat(mib(r.memory.peakRssKb))
        .join(' / '),
  ],
  ['global RSS per connected zone: (connected − ready) / Z', '—', (r) => perZone(r, (m) => m.rssKb)],
  [
    'global V8 heap used: ready / Z connected / after sync',
    '—',
    (r) => `${heap(r.memory.ready)} / ${heap(r.memory.connected)} / ${heap(r.memory.afterSync)}`,
  ],
  ['global heap per connected zone: (connected − ready) / Z', '—', (r) => perZone(r, (m) => m.heapKb)],
  ['CPU global / bench / others: zones connect', '—', (r) => cpu(r.cpu.connect)],
  ['CPU global / bench / others: policy rounds', '—', (r) => cpu(r.cpu.rounds)],
  ['CPU global / bench / others: Dataplane sync', '—', (r) => cpu(r.cpu.sync)],
  [
    'global CPU per zone per policy write: rounds-phase CPU / (Z × writes)',
    '—',
    (r) => formatMs(r.cpu.rounds.globalMs / (r.zones * (r.policy.rounds + 1))),
  ],
  [
    'global CPU per synced Dataplane: sync-phase CPU / N',
    '—',
    (r) => `${formatNumber((r.cpu.sync.globalMs * 1000) / r.sync.dataplanes)} µs`,
  ],
  ['global CPU, whole run incl. tsx start-up', '—', (r) => formatMs(r.cpu.globalTotalMs)],
  [
    'load average (1 min): start / end',
    '—',
    (r) => `${formatNumber(r.loadAverage[0])} / ${formatNumber(r.loadAverage[1])}`,
  ],
];

const ABOUT = [
  'One real global CP process (`strait global-cp run`, SQLite store in a temp dir unless `--store memory`, loopback',
  'ports, log level info, its generated KDS certificate) and Z zones in the bench process: each its own memory store',
  'and the zone CP’s real KDS client (`createKdsClient`, product default timings: 50 ms debounce, 10 s heartbeats)',
  'dialing over gRPC + TLS verified against the global’s CA, with a zone token from `POST /tokens/zone`, one HTTP/2',
  'connection per zone. (Z zone CP processes would not fit on 2 cores; the global cannot tell the difference.)',
  'Figures: (a) the Z zones dial at once; time until all are connected and no zone store changed for 1 s;',
  '(b) global RSS (/proc) and V8 heap (its /metrics) before and after, divided by Z; (c) one MeshTrafficPermission',
  'on the global is rewritten (label and spec) once per round, 40 rounds after one warm-up, 100 ms apart; a sample',
  'is the time from the start of the PUT to the commit of that round’s version in one zone’s store (a store change',
  'event in the bench process), so every zone × round is one sample, and per round the slowest zone gives “every',
  'zone has it”; (d) then one more zone connects whose store already holds 10,000 Dataplanes (mesh `default`, an',
  'address, one inbound with service and protocol tags, 3 outbounds each, as xds-scale registers them): the time',
  'until the global ACKed responses carrying all of them (it ACKs once stored) and until its REST API counts',
  'them. **Caveats:** the zones run on the same cores as the global, so every figure includes that contention',
  '(bench CPU is listed beside the global’s, and “others” is every other process on the machine: other engineers’',
  'work); RSS and heap include garbage not yet collected, so memory per zone is rough; one run per size; the global',
  'runs from TypeScript sources through tsx.',
].join(' ');

/** The registered scenario. */
export const kdsFanoutScenario: Scenario = {
  name: 'kds-fanout',
  summary: 'a global CP and Z zones over KDS: policy fan-out, memory per zone, 10,000-Dataplane initial sync',
  about: ABOUT,
  defaultSizes: [10, 50],
  smokeSizes: [3],
  async run(options): Promise<ScenarioReport> {
    const results = await runEachSize(options, 'kds-fanout', 'Z', (zones) =>
      runKdsFanout({
        zones,
        log: options.log,
        ...(options.smoke ? { rounds: 3, dataplanes: 200 } : {}),
        ...passThroughOptions(options),
      }),
    );
    const notes = sizeNotes(
      options.sizes,
      'Z',
      results,
      (r) =>
        `${r.storeType} store on the global; building the sync zone's store took ${formatMs(r.syncStoreBuildMs)} ` +
        `(before it connects, not timed); global log problems: ${formatLogProblems(r.globalLogProblems)}; ` +
        `zone log problems: ${formatLogProblems(r.zoneLogProblems)}${r.keptLog === undefined ? '' : `; log kept at ${r.keptLog}`}`,
    );
    notes.push(
      'The Z zones share one bench process, so they decode and apply each policy one after the other: part of the spread between the first and the last zone (and of “every zone”) is the bench’s serial apply (its CPU per round ÷ Z per zone), which separate zone CPs would do in parallel.',
    );
    notes.push(
      'CPU cells read “global / bench process / every other process over wall time”; the 2 cores give 2 × wall of capacity.',
    );
    return {
      table: sizeTable(options.sizes, 'Z', ROWS, results),
      notes,
      failed: results.some(
        (r) => r instanceof Error || r.policy.missing > 0 || r.sync.apiMs === undefined || r.sync.ackedMs === undefined,
      ),
      nothingMeasured: results.every((r) => r instanceof Error),
    };
  },
};
