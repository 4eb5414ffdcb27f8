/**
 * `pnpm bench [scenario…] [--smoke] [--n 1000,5000] [--store sqlite|memory] [--cpu-prof] [--keep-logs]`
 *
 * Runs the named scenarios (default: all) and records a section per scenario in BENCHMARKS.md:
 * machine, date, command, and the table of results. `--smoke` runs each scenario's tiny size,
 * prints the table and records nothing (for CI). Exits 1 when a scenario or a size failed.
 */

import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeSection } from './report/benchmarks-md.js';
import { describeMachine, machineInfo } from './report/machine.js';
import { renderTable } from './report/table.js';
import type { Scenario, ScenarioReport } from './scenario.js';
import { scenarioNamed, scenarios } from './scenarios/index.js';

const BENCHMARKS_MD = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));

const USAGE = `usage: pnpm bench [scenario…] [options]

scenarios: ${scenarios.map((s) => `\n  ${s.name.padEnd(12)} ${s.summary}`).join('')}

options:
  --smoke            tiny size only; print the table, do not write BENCHMARKS.md
  --n 1000,5000      sizes to run (default: each scenario's own)
  --store TYPE       store of the CPs: sqlite (default) or memory
  --cp-log-level L   log level of the CPs (default info; debug shows each regeneration)
  --cpu-prof         CPs write V8 CPU profiles (into a temp dir that is kept and printed)
  --keep-logs        keep the CP logs (in a temp dir that is printed)
  -h, --help`;

function parseSizes(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const sizes = text.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (sizes.some((s) => !Number.isInteger(s) || s <= 0)) throw new Error(`--n wants positive integers, got "${text}"`);
  return sizes;
}

function section(scenario: Scenario, report: ScenarioReport, command: string): string {
  return [
    `## ${scenario.name}`,
    '',
    scenario.about,
    '',
    `- Machine: ${describeMachine(machineInfo())}`,
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- Command: \`${command}\``,
    '',
    renderTable(report.table),
    '',
    ...report.notes.map((note) => `- ${note}`),
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      smoke: { type: 'boolean', default: false },
      n: { type: 'string' },
      store: { type: 'string' },
      'cp-log-level': { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'keep-logs': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const selected = positionals.length === 0 ? scenarios : positionals.map((name) => scenarioNamed(name));
  const unknown = positionals.filter((name) => scenarioNamed(name) === undefined);
  if (unknown.length > 0) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}\n\n${USAGE}`);
    return 2;
  }
  if (values.store !== undefined && values.store !== 'sqlite' && values.store !== 'memory') {
    console.error(`--store must be sqlite or memory, got "${values.store}"`);
    return 2;
  }
  const sizes = parseSizes(values.n);
  const cpuProfileDir = values['cpu-prof'] ? mkdtempSync(join(tmpdir(), 'strait-bench-profiles-')) : undefined;
  const keepLogsDir = values['keep-logs'] ? mkdtempSync(join(tmpdir(), 'strait-bench-logs-')) : undefined;
  if (cpuProfileDir !== undefined) mkdirSync(cpuProfileDir, { recursive: true });
  const command = `pnpm bench ${argv.join(' ')}`.trim();
  console.log(`machine: ${describeMachine(machineInfo())}`);
  let failed = false;
  for (const scenario of selected) {
    if (scenario === undefined) continue;
    const runSizes = values.smoke ? scenario.smokeSizes : (sizes ?? scenario.defaultSizes);
    console.log(`\n== ${scenario.name} (${runSizes.join(', ')})${values.smoke ? ' [smoke]' : ''}`);
    let report: ScenarioReport;
    try {
      report = await scenario.run({
        sizes: runSizes,
        smoke: values.smoke,
        log: (line) => console.log(line),
        ...(cpuProfileDir === undefined ? {} : { cpuProfileDir }),
        ...(keepLogsDir === undefined ? {} : { keepLogsDir }),
        ...(values.store === undefined ? {} : { storeType: values.store }),
        ...(values['cp-log-level'] === undefined ? {} : { cpLogLevel: values['cp-log-level'] }),
      });
    } catch (err) {
      console.error(`${scenario.name} failed:`, err);
      failed = true;
      continue;
    }
    failed ||= report.failed;
    console.log(`\n${renderTable(report.table)}\n`);
    for (const note of report.notes) console.log(`- ${note}`);
    if (report.nothingMeasured) {
      console.log(`\nnothing measured: ${BENCHMARKS_MD} left as it was`);
    } else if (!values.smoke) {
      writeSection(BENCHMARKS_MD, scenario.name, section(scenario, report, command));
      console.log(`\nrecorded in ${BENCHMARKS_MD}`);
    }
  }
  if (cpuProfileDir !== undefined) console.log(`CPU profiles: ${cpuProfileDir}`);
  if (keepLogsDir !== undefined) console.log(`CP logs: ${keepLogsDir}`);
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
