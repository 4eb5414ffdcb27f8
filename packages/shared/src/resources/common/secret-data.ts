/** The spec shared by Secret and GlobalSecret: one base64 value. */
import type { Static } from '@sinclair/typebox';
import type { Violation } from '../../errors/strait-error.js';
import { runChecks } from './checks.js';
import { checkedString, closed } from './schema.js';

/** Spec of a Secret or GlobalSecret (universal form, inline). */
export const SecretSpecSchema = closed(
  {
    data: checkedString('base64', 'The secret value, base64-encoded.', { minLength: 1 }),
  },
  'Secret specification.',
);
export type SecretSpec = Static<typeof SecretSpecSchema>;

/** Checks that `data` is base64. */
export function validateSecret(spec: SecretSpec): Violation[] {
  return runChecks(SecretSpecSchema, spec);
}
