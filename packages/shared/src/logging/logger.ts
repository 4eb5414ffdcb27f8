import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** pino level; default `info` (or `STRAIT_LOG_LEVEL`). */
  readonly level?: string;
  /** Base fields on every line, e.g. `{ role: 'zone-cp', zone: 'zone-1' }`. */
  readonly base?: Record<string, unknown>;
  /** Where lines go; default stdout. Tests pass a stream to capture them. */
  readonly destination?: NodeJS.WritableStream;
}

/** Field paths whose values never reach a log line. */
const REDACT = ['token', '*.token', 'authorization', '*.authorization', 'privateKey', '*.privateKey', 'key', '*.key'];

/** Creates the process logger: JSON lines, ISO time, secrets redacted. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.STRAIT_LOG_LEVEL ?? 'info',
      base: { pid: process.pid, ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ sync: true }),
  );
}

/** A logger that drops everything (unit tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
