/** `{{ name }}` placeholders in a proxy's resource file (`--dataplane-var name=value`). */
import { StraitError } from '../errors/strait-error.js';

/** `{{ name }}` with optional spaces; names are letters, digits, `_`, `-` and `.`. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/**
 * Replaces every `{{ name }}` with its value. A placeholder without a value is an `Invalid` error
 * naming every missing variable and the flag that sets it (`flag`, e.g. `--dataplane-var`), so a
 * half-rendered resource is never registered.
 */
export function renderProxyTemplate(
  text: string,
  vars: ReadonlyMap<string, string>,
  source: string,
  flag = '--dataplane-var',
): string {
  const missing = new Set<string>();
  const out = text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = vars.get(name);
    if (value === undefined) missing.add(name);
    return value ?? whole;
  });
  if (missing.size > 0) {
    const names = [...missing];
    throw new StraitError(
      'Invalid',
      `${source}: no value for ${names.map((n) => `{{ ${n} }}`).join(', ')} (pass ${names.map((n) => `${flag} ${n}=…`).join(' ')})`,
      { violations: names.map((n) => ({ field: n, reason: `template variable has no value (pass ${flag} ${n}=…)` })) },
    );
  }
  return out;
}
