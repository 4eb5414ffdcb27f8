/**
 * Memory and CPU of another process, read from /proc (Linux only): what `ps` would show,
 * without spawning it.
 */

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident memory of a process, in KiB. */
export interface ProcessMemory {
  /** Current resident set size (VmRSS). */
  readonly rssKb: number;
  /** Peak resident set size so far (VmHWM). */
  readonly peakRssKb: number;
}

function statusField(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s*(\\d+)\\s*kB`, 'm').exec(status);
  if (match?.[1] === undefined) throw new Error(`no ${field} in /proc status`);
  return Number(match[1]);
}

/** RSS and peak RSS of `pid` from /proc/<pid>/status. */
export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssKb: statusField(status, 'VmRSS'), peakRssKb: statusField(status, 'VmHWM') };
}

let ticksPerSecond: number | undefined;

/** The kernel's clock tick (USER_HZ); 100 on every mainstream Linux, asked once. */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU time `pid` has used so far, in ms (from /proc/<pid>/stat). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1_000) / clockTicks();
}

/** User + system CPU time of this process so far, in ms. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1_000;
}

/**
 * User + system CPU time all processes on the machine have used since boot (every core), in ms.
 * Interrupt time is left out: it is not charged to processes, so it could not be told apart.
 */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  // cpu  user nice system idle iowait irq softirq steal …
  const [user = 0, nice = 0, system = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user + nice + system) * 1_000) / clockTicks();
}
