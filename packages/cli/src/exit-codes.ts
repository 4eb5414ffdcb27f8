/** Exit codes of the `strait` binary. */
export const ExitCode = Object.freeze({
  /** Everything worked. */
  ok: 0,
  /** The command ran and failed: an API error, an invalid manifest, an unreachable control plane. */
  failure: 1,
  /** The command line itself is wrong: unknown command, flag, resource type or output format. */
  usage: 2,
});
