/** `backendRefs`: where a route sends traffic, a targetRef plus a weight and a port. */
import { type Static, Type } from '@sinclair/typebox';
import { closed } from './schema.js';
import { targetRefProperties } from './target-ref.js';

/** A backend of a route. */
export const BackendRefSchema = closed(
  {
    ...targetRefProperties,
    weight: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Share of traffic relative to the other backends; 1 when unset.' }),
    ),
    port: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 65535, description: 'Port of the MeshService to send to.' }),
    ),
  },
  'Where to forward traffic.',
);
export type BackendRef = Static<typeof BackendRefSchema>;
