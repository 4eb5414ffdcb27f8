/** What every sized scenario does the same way: run each size, turn results into table rows and notes. */

import { formatNumber, type Table } from '../report/table.js';
import type { ScenarioRunOptions } from '../scenario.js';

/** One table row: label, target, and how a result fills its cell. */
export type Row<R> = readonly [label: string, target: string, format: (result: R) => string];

/** The run options every scenario passes through to its runner unchanged. */
export function passThroughOptions(
  options: ScenarioRunOptions,
): Pick<ScenarioRunOptions, 'storeType' | 'cpLogLevel' | 'cpuProfileDir' | 'keepLogsDir'> {
  return {
    ...(options.storeType === undefined ? {} : { storeType: options.storeType }),
    ...(options.cpLogLevel === undefined ? {} : { cpLogLevel: options.cpLogLevel }),
    ...(options.cpuProfileDir === undefined ? {} : { cpuProfileDir: options.cpuProfileDir }),
    ...(options.keepLogsDir === undefined ? {} : { keepLogsDir: options.keepLogsDir }),
  };
}

/**
 * Runs `run` for each size in order; a size that throws is logged as `[name S=size] failed` and
 * kept as its Error, so the other sizes still run and the report says which failed.
 */
export async function runEachSize<R>(
  options: ScenarioRunOptions,
  name: string,
  symbol: string,
  run: (size: number) => Promise<R>,
): Promise<(R | Error)[]> {
  const results: (R | Error)[] = [];
  for (const size of options.sizes) {
    try {
      results.push(await run(size));
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      options.log(`[${name} ${symbol}=${size}] failed: ${error.message}`);
      results.push(error);
    }
  }
  return results;
}

/** The table: one column per size (`symbol = size`), `failed` in the cells of a failed size. */
export function sizeTable<R>(
  sizes: readonly number[],
  symbol: string,
  rows: readonly Row<R>[],
  results: readonly (R | Error)[],
): Table {
  return {
    columns: ['metric', 'target', ...sizes.map((s) => `${symbol} = ${formatNumber(s)}`)],
    rows: rows.map(([label, target, format]) => [
      label,
      target,
      ...results.map((r) => (r instanceof Error ? 'failed' : format(r))),
    ]),
  };
}

/** One note per size: the first line of a failure, else what `describe` says of the result. */
export function sizeNotes<R>(
  sizes: readonly number[],
  symbol: string,
  results: readonly (R | Error)[],
  describe: (result: R) => string,
): string[] {
  return results.map((r, i) => {
    const size = `${symbol} = ${formatNumber(sizes[i])}`;
    return r instanceof Error ? `${size} failed: ${r.message.split('\n')[0]}` : `${size}: ${describe(r)}`;
  });
}

/** Up to five log problems as `3× warn "msg"`, or `none`. */
export function formatLogProblems(
  list: readonly { readonly count: number; readonly level: string; readonly msg: string }[],
): string {
  return list.length === 0
    ? 'none'
    : list
        .slice(0, 5)
        .map((p) => `${p.count}× ${p.level} "${p.msg}"`)
        .join(', ');
}
