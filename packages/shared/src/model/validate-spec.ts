import type { TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import type { Violation } from '../errors/strait-error.js';

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor(schema: TSchema): TypeCheck<TSchema> {
  let check = compiled.get(schema);
  if (check === undefined) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check;
}

/**
 * Turns a JSON pointer (`/from/0/targetRef/kind`) into the dotted path users write
 * (`from[0].targetRef.kind`), under `prefix` when given.
 */
export function pointerToField(pointer: string, prefix = ''): string {
  let out = prefix;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

function literalChoices(schema: TSchema): string[] | undefined {
  const branches = (schema as { anyOf?: TSchema[] }).anyOf;
  if (branches === undefined || !branches.every((b) => 'const' in b)) return undefined;
  return branches.map((b) => String((b as unknown as { const: unknown }).const));
}

function reasonOf(error: ValueError): string {
  switch (error.type) {
    case ValueErrorType.ObjectAdditionalProperties:
      return 'unknown field';
    case ValueErrorType.ObjectRequiredProperty:
      return 'must be set';
    case ValueErrorType.Union: {
      const choices = literalChoices(error.schema);
      return choices === undefined ? 'does not match any allowed form' : `must be one of ${choices.join(', ')}`;
    }
    default:
      return error.message.charAt(0).toLowerCase() + error.message.slice(1);
  }
}

/**
 * Validates `value` against a TypeBox schema and reports one violation per offending field,
 * named under `prefix` (e.g. `spec`). Union mismatches are reported once, at the union.
 */
export function validateAgainstSchema(schema: TSchema, value: unknown, prefix = ''): Violation[] {
  const check = checkerFor(schema);
  if (check.Check(value)) return [];
  const seen = new Set<string>();
  const violations: Violation[] = [];
  for (const error of check.Errors(value)) {
    const field = pointerToField(error.path, prefix) || prefix || '(root)';
    if (seen.has(field)) continue;
    // Skip child errors of a field already reported (a union's branches, say).
    if ([...seen].some((s) => field.startsWith(`${s}.`) || field.startsWith(`${s}[`))) continue;
    seen.add(field);
    violations.push({ field, reason: reasonOf(error) });
  }
  return violations;
}
