/** The Envoy command line a proxy runs with (a pure function of the runner's options). */

/** Inputs of {@link envoyArgs}. */
export interface EnvoyArgsInput {
  readonly configPath: string;
  /** Envoy writes its admin `host:port` here once it listens (the bootstrap may ask for port 0). */
  readonly adminAddressPath: string;
  readonly drainTimeMs: number;
  /** Worker threads. */
  readonly concurrency: number;
  /** Envoy log level (`trace` … `off`). */
  readonly logLevel: string;
  /** Shown on every Envoy log line, so several proxies on one host stay apart. */
  readonly proxyName: string;
  readonly extraArgs?: readonly string[];
}

/**
 * `[%time][%level][%logger][proxy] message`: plain text, one line per message, parsed back by
 * the log forwarder. The proxy name is escaped for spdlog's pattern syntax.
 */
export function envoyLogFormat(proxyName: string): string {
  return `[%Y-%m-%d %T.%e][%l][%n][${proxyName.replaceAll('%', '%%')}] %v`;
}

/**
 * The arguments: hot restart is disabled and the base id is dynamic, so any number of Envoys
 * share a host and a restarted one never collides with shared memory its predecessor left.
 */
export function envoyArgs(input: EnvoyArgsInput): string[] {
  return [
    '-c',
    input.configPath,
    '--admin-address-path',
    input.adminAddressPath,
    '--disable-hot-restart',
    '--use-dynamic-base-id',
    '--drain-time-s',
    String(Math.ceil(Math.max(0, input.drainTimeMs) / 1000)),
    '--concurrency',
    String(input.concurrency),
    '-l',
    input.logLevel,
    '--log-format',
    envoyLogFormat(input.proxyName),
    ...(input.extraArgs ?? []),
  ];
}
