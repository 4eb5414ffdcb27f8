export { freePort } from './free-port.js';
export type { ProcessHandle, StartProcessOptions } from './process-handle.js';
export { startProcess } from './process-handle.js';
export type { CliResult } from './strait-cli.js';
export { repoRoot, startStrait, strait, straitBin } from './strait-cli.js';
export type { WaitOptions } from './wait-for.js';
export { waitFor } from './wait-for.js';
