/**
 * ZoneIngressInsight: what the zone control plane observed about one ZoneIngress's xDS
 * streams. Written by the control plane only.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
import { DiscoverySubscriptionSchema, validateSubscriptions } from './common/insight.js';
import { closed } from './common/schema.js';

/** Spec of a ZoneIngressInsight (universal form, inline). */
export const ZoneIngressInsightSpecSchema = closed(
  {
    subscriptions: Type.Optional(
      Type.Array(DiscoverySubscriptionSchema, { description: 'xDS streams of the ingress, oldest first.' }),
    ),
  },
  'ZoneIngressInsight specification.',
);
export type ZoneIngressInsightSpec = Static<typeof ZoneIngressInsightSpecSchema>;

function validateZoneIngressInsight(spec: ZoneIngressInsightSpec): Violation[] {
  return [
    ...runChecks(ZoneIngressInsightSpecSchema, spec),
    ...validateSubscriptions(spec.subscriptions ?? [], 'subscriptions'),
  ];
}

/** The ZoneIngressInsight resource type. */
export const zoneIngressInsightDescriptor: ResourceDescriptor<typeof ZoneIngressInsightSpecSchema> = Object.freeze({
  name: 'ZoneIngressInsight',
  plural: 'zoneingress-insights',
  aliases: ['zoneingressinsight', 'zone-ingress-insight', 'zoneingress-insight'],
  scope: 'global',
  kds: 'zone-to-global',
  isPolicy: false,
  specLayout: 'inline',
  specSchema: ZoneIngressInsightSpecSchema,
  validate: validateZoneIngressInsight,
  readOnlyOnFederatedZone: false,
  systemOnly: true,
  description: 'Observed state of a zone ingress: its xDS streams and ACK/NACK counters.',
});
