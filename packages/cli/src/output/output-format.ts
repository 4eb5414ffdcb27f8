import { type Command, Option } from 'commander';

/** How a command prints resources. */
export type OutputFormat = 'table' | 'yaml' | 'json';

/** Adds `-o, --output table|yaml|json` (default table); another value is a usage error. */
export function addOutputOption(cmd: Command): Command {
  return cmd.addOption(
    new Option('-o, --output <format>', 'output format').choices(['table', 'yaml', 'json']).default('table'),
  );
}
