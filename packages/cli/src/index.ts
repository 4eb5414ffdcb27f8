/**
 * @strait/cli — the client side of the `strait` binary: `apply`, `get`, `delete`, `inspect`,
 * `config control-planes` and `version` over a control plane's REST API.
 */

export type { CliIo } from './cli-io.js';
export { createProcessIo } from './cli-io.js';
export type { ApiClient, ApiClientOptions, ApiResponse, QueryParams } from './client/api-client.js';
export { createApiClient, DEFAULT_REQUEST_TIMEOUT_MS } from './client/api-client.js';
export { ExitCode } from './exit-codes.js';
export type { ProgramOptions } from './program.js';
export { createProgram } from './program.js';
export { runCli } from './run-cli.js';
