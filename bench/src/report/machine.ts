import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';

/** The machine a benchmark ran on, as recorded beside its figures. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly node: string;
}

/** The CPU model from /proc/cpuinfo (os.cpus() when it is unreadable). */
function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1] !== undefined) return match[1].trim();
  } catch {
    // not Linux: fall through
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** Reads the current machine's description. */
export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: availableParallelism(),
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
}

/** One line: `Intel(R) Xeon(R) … · 2 cores · 23.6 GiB RAM · Node v20.20.2`. */
export function describeMachine(info: MachineInfo): string {
  return `${info.cpuModel} · ${info.cores} cores · ${info.ramGiB} GiB RAM · Node ${info.node}`;
}
