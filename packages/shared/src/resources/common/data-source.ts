/** Kuma's `DataSource`: a value read from a Secret, a file, or given inline. */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../../errors/strait-error.js';
import { checkedString, closed } from './schema.js';

/** Exactly one of secret, file, inline and inlineString. */
export const DataSourceSchema = closed(
  {
    secret: Type.Optional(Type.String({ description: 'Name of a Secret in the same mesh holding the value.' })),
    file: Type.Optional(Type.String({ description: 'Path of a file on the control plane (deprecated in Kuma).' })),
    inline: Type.Optional(checkedString('base64', 'The value, base64-encoded.')),
    inlineString: Type.Optional(Type.String({ description: 'The value as a plain string.' })),
  },
  'Where a value comes from: exactly one of secret, file, inline and inlineString.',
);
export type DataSource = Static<typeof DataSourceSchema>;

/** Checks that exactly one source is set. */
export function validateDataSource(ds: DataSource, at: string): Violation[] {
  const set = (['secret', 'file', 'inline', 'inlineString'] as const).filter((k) => ds[k] !== undefined);
  return set.length === 1 ? [] : [{ field: at, reason: 'must set exactly one of secret, file, inline, inlineString' }];
}
