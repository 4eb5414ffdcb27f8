import { stringify } from 'yaml';

/**
 * Prints one object as a YAML document. Long strings are never folded, so what is printed
 * is exactly what the API returned and parses back to the same value.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, minContentWidth: 0 });
}

/**
 * Prints objects as a YAML stream, one document each, separated by `---`: the form
 * `strait apply -f` takes back unchanged. An empty list prints nothing.
 */
export function toYamlStream(values: readonly unknown[]): string {
  return values.map(toYaml).join('---\n');
}

/** Pretty JSON with a trailing newline. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
