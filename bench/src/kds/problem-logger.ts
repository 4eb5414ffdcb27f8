/**
 * A logger for in-process zones that keeps only warnings and errors, counted by level and
 * message (no lines are written: logging must not cost the bench process CPU).
 */

import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@strait/shared';
import type { LogProblem } from '../scenarios/xds-scale/cp-log-problems.js';

/** The logger and what it has counted so far. */
export interface ProblemLogger {
  readonly logger: Logger;
  /** Warnings and errors by message, most frequent first. */
  problems(): LogProblem[];
}

/** Creates a {@link ProblemLogger} (level `warn`). */
export function createProblemLogger(): ProblemLogger {
  const counts = new Map<string, LogProblem>();
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) {
        if (line.trim() === '') continue;
        let json: { level?: unknown; msg?: unknown };
        try {
          json = JSON.parse(line) as { level?: unknown; msg?: unknown };
        } catch {
          continue;
        }
        const level = String(json.level ?? '?');
        const msg = String(json.msg ?? '?');
        const key = `${level}|${msg}`;
        const seen = counts.get(key);
        counts.set(key, { level, msg, count: (seen?.count ?? 0) + 1 });
      }
      callback();
    },
  });
  return {
    logger: createLogger({ level: 'warn', destination }),
    problems: () => [...counts.values()].sort((a, b) => b.count - a.count),
  };
}
