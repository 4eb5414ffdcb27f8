import { StraitError } from '@strait/shared';

/** `{{ name }}` with optional spaces; names are letters, digits, `_`, `-` and `.`. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/**
 * Replaces every `{{ name }}` in a manifest with its `--var name=value`. A placeholder with
 * no value is an `Invalid` error naming it (a half-templated manifest is never sent).
 */
export function applyTemplateVars(text: string, vars: ReadonlyMap<string, string>, source: string): string {
  const missing = new Set<string>();
  const out = text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = vars.get(name);
    if (value === undefined) missing.add(name);
    return value ?? whole;
  });
  if (missing.size > 0) {
    const where = source === '-' ? '<stdin>' : source;
    throw new StraitError(
      'Invalid',
      `${where}: no --var given for ${[...missing].map((n) => `{{ ${n} }}`).join(', ')}`,
    );
  }
  return out;
}
