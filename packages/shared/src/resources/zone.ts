/** Zone: a zone known to the global control plane. Legacy layout: `enabled` at the top level. */
import { type Static, Type } from '@sinclair/typebox';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { closed } from './common/schema.js';

/** Spec of a Zone (universal form, inline). */
export const ZoneSpecSchema = closed(
  {
    enabled: Type.Optional(
      Type.Boolean({ description: 'Whether the zone may connect and receive configuration; true when unset.' }),
    ),
  },
  'Zone specification.',
);
export type ZoneSpec = Static<typeof ZoneSpecSchema>;

/** The Zone resource type. */
export const zoneDescriptor: ResourceDescriptor<typeof ZoneSpecSchema> = Object.freeze({
  name: 'Zone',
  plural: 'zones',
  aliases: ['zone'],
  scope: 'global',
  kds: 'none',
  isPolicy: false,
  specLayout: 'inline',
  specSchema: ZoneSpecSchema,
  readOnlyOnFederatedZone: true,
  systemOnly: false,
  description: 'A zone of a multi-zone deployment, as registered on the global control plane.',
});
