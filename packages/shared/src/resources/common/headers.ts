/** HTTP header names, header matchers and header modifiers shared by the HTTP policies. */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../../errors/strait-error.js';
import { field } from './field.js';
import { closed, enumOf } from './schema.js';

/** A lower-case HTTP header name (RFC 7230 token). */
export function headerName(description: string) {
  return Type.String({ minLength: 1, maxLength: 256, pattern: "^[a-z0-9!#$%&'*+\\-.^_`|~]+$", description });
}

/** A header name with a value. */
export const HeaderValueSchema = closed(
  { name: headerName('Header name.'), value: Type.String({ description: 'Header value.' }) },
  'A header and its value.',
);

/** Matches a request or response header. */
export const HeaderMatchSchema = closed(
  {
    type: Type.Optional(
      enumOf(
        ['Exact', 'Present', 'RegularExpression', 'Absent', 'Prefix'],
        'How the header is matched; Exact when unset.',
      ),
    ),
    name: headerName('Header name.'),
    value: Type.Optional(Type.String({ description: 'Value to compare; not used with Present and Absent.' })),
  },
  'Matches one header.',
);
export type HeaderMatch = Static<typeof HeaderMatchSchema>;

/** Sets, adds or removes headers. */
export const HeaderModifierSchema = closed(
  {
    set: Type.Optional(Type.Array(HeaderValueSchema, { maxItems: 16, description: 'Headers to overwrite.' })),
    add: Type.Optional(Type.Array(HeaderValueSchema, { maxItems: 16, description: 'Headers to append.' })),
    remove: Type.Optional(Type.Array(Type.String(), { maxItems: 16, description: 'Header names to remove.' })),
  },
  'Changes headers; at least one of set, add and remove.',
);
export type HeaderModifier = Static<typeof HeaderModifierSchema>;

/** Checks header matchers at field `at`: Present and Absent take no value. */
export function validateHeaderMatches(matches: readonly HeaderMatch[] | undefined, at: string): Violation[] {
  const out: Violation[] = [];
  (matches ?? []).forEach((m, i) => {
    if ((m.type === 'Present' || m.type === 'Absent') && m.value !== undefined && m.value !== '') {
      out.push({ field: field(at, i, 'value'), reason: `must not be set with type ${m.type}` });
    }
    if (m.type === 'RegularExpression' && m.value !== undefined) {
      try {
        new RegExp(m.value);
      } catch {
        out.push({ field: field(at, i, 'value'), reason: 'must be a valid regular expression' });
      }
    }
  });
  return out;
}

/** Checks a header modifier at field `at`: not empty, and no header named twice. */
export function validateHeaderModifier(mod: HeaderModifier, at: string): Violation[] {
  if (mod.set === undefined && mod.add === undefined && mod.remove === undefined) {
    return [{ field: at, reason: 'must set at least one of set, add, remove' }];
  }
  const out: Violation[] = [];
  const seen = new Set<string>();
  const visit = (name: string, f: string): void => {
    if (seen.has(name)) out.push({ field: f, reason: 'header is named more than once' });
    seen.add(name);
  };
  (mod.set ?? []).forEach((h, i) => {
    visit(h.name, field(at, 'set', i, 'name'));
  });
  (mod.add ?? []).forEach((h, i) => {
    visit(h.name, field(at, 'add', i, 'name'));
  });
  (mod.remove ?? []).forEach((h, i) => {
    visit(h, field(at, 'remove', i));
  });
  return out;
}
