import { readFileSync } from 'node:fs';

/** One kind of warning or error in a CP log. */
export interface LogProblem {
  readonly level: string;
  readonly msg: string;
  readonly count: number;
}

const PROBLEM_LEVELS = ['"level":"warn"', '"level":"error"', '"level":"fatal"'];

/** Warnings and errors of a JSON-lines log, counted by level and message, most frequent first. */
export function logProblems(logFile: string): LogProblem[] {
  let text: string;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return [];
  }
  const counts = new Map<string, { level: string; msg: string; count: number }>();
  for (const line of text.split('\n')) {
    if (!PROBLEM_LEVELS.some((level) => line.includes(level))) continue;
    try {
      const json = JSON.parse(line) as { level?: string; msg?: string };
      const key = `${json.level}|${json.msg}`;
      const entry = counts.get(key) ?? { level: json.level ?? '?', msg: json.msg ?? '?', count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    } catch {
      // not a JSON log line
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count);
}
