import { usageError } from './usage-error.js';

/** Commander reducer for a repeatable option: each occurrence appends to the list. */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

/**
 * Parses repeated `key=value` flags (`--label`, `--var`) into a map. A flag without `=` or
 * with an empty key is a usage error naming the flag.
 */
export function parseKeyValues(flag: string, values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw usageError(`${flag} "${v}": expected key=value`);
    out.set(v.slice(0, eq), v.slice(eq + 1));
  }
  return out;
}
