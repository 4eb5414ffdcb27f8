/** Envoy's output as log lines of the process logger, one per Envoy line. */
import { createInterface } from 'node:readline';
import type { Logger } from '../logging/logger.js';

/** `[time][level][logger][proxy] message`, as `envoyLogFormat` asks Envoy to print. */
const ENVOY_LINE = /^\[[^\]]*\]\[(\w+)\]\[([^\]]*)\]\[[^\]]*\] ?(.*)$/;

type LogMethod = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

const LEVELS: Readonly<Record<string, LogMethod>> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'error',
};

/** One Envoy line as a log entry; lines in another shape (a crash dump, early errors) are kept as they are. */
export function parseEnvoyLine(line: string): { level: LogMethod; envoyLogger?: string; message: string } {
  const match = ENVOY_LINE.exec(line);
  if (match === null) return { level: 'info', message: line };
  return { level: LEVELS[match[1] ?? ''] ?? 'info', envoyLogger: match[2] ?? '', message: match[3] ?? '' };
}

/** Logs every line of `stream` through `logger` (already a child with `component: 'envoy'`). */
export function forwardEnvoyOutput(stream: NodeJS.ReadableStream, logger: Logger): void {
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    const entry = parseEnvoyLine(line);
    logger[entry.level](entry.envoyLogger === undefined ? {} : { envoyLogger: entry.envoyLogger }, entry.message);
  });
}
