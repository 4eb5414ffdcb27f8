/**
 * Everything a CLI invocation touches outside itself: its output streams, stdin, the
 * environment and the clock. Commands only ever use this, so tests run them in-process with
 * captured output and a fixed `now`.
 */
export interface CliIo {
  /** Writes to standard output (text is written as given; include the newline). */
  readonly out: (text: string) => void;
  /** Writes to standard error. */
  readonly err: (text: string) => void;
  /** Reads all of standard input (for `apply -f -`). */
  readonly readStdin: () => Promise<string>;
  /** Environment variables (`STRAIT_API_ADDRESS`, `STRAIT_CONFIG`, `HOME`, …). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Current time; AGE and "ago" columns are computed against it. */
  readonly now: () => Date;
}

/** The real process: stdout, stderr, stdin, `process.env` and the wall clock. */
export function createProcessIo(): CliIo {
  return {
    out: (text) => {
      process.stdout.write(text);
    },
    err: (text) => {
      process.stderr.write(text);
    },
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    now: () => new Date(),
  };
}
