import type { Table } from './report/table.js';

/** What `pnpm bench` passes to a scenario. */
export interface ScenarioRunOptions {
  /** Sizes to run (the scenario's own meaning: proxies, zones, …), in order. */
  readonly sizes: readonly number[];
  /** A quick CI run: results are printed, not recorded. */
  readonly smoke: boolean;
  /** When set, CP processes write V8 CPU profiles (`--cpu-prof`) into this directory. */
  readonly cpuProfileDir?: string;
  /** When set, CP logs are copied into this directory before temp dirs are removed. */
  readonly keepLogsDir?: string;
  /** Log level of the CPs a scenario starts (default `info`, the product default). */
  readonly cpLogLevel?: string;
  /** Store of the CPs a scenario starts; the scenario's default when unset. */
  readonly storeType?: 'sqlite' | 'memory';
  /** Progress output (one line each). */
  readonly log: (line: string) => void;
}

/** What a scenario hands back for the table in BENCHMARKS.md. */
export interface ScenarioReport {
  readonly table: Table;
  /** Bullet points printed under the table (caveats, evidence, failures). */
  readonly notes: readonly string[];
  /** True when some size did not complete (the run exits non-zero). */
  readonly failed: boolean;
  /** True when no size produced figures (nothing is recorded then). */
  readonly nothingMeasured: boolean;
}

/** One benchmark scenario (one file under `scenarios/`). */
export interface Scenario {
  /** The name on the command line and in BENCHMARKS.md (kebab-case). */
  readonly name: string;
  /** One line: what it does. */
  readonly summary: string;
  /** A paragraph for BENCHMARKS.md: what the figures measure and their caveats. */
  readonly about: string;
  readonly defaultSizes: readonly number[];
  readonly smokeSizes: readonly number[];
  run(options: ScenarioRunOptions): Promise<ScenarioReport>;
}
