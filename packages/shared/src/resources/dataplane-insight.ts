/**
 * DataplaneInsight: what the zone control plane observed about one Dataplane's xDS streams
 * and certificates. Written by the control plane only; the API refuses user writes.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
import { DiscoverySubscriptionSchema, timestamp, validateSubscriptions } from './common/insight.js';
import { closed, nonNegativeInt, stringList } from './common/schema.js';

/** Spec of a DataplaneInsight (universal form, inline). */
export const DataplaneInsightSpecSchema = closed(
  {
    subscriptions: Type.Optional(
      Type.Array(DiscoverySubscriptionSchema, { description: 'xDS streams of the proxy, oldest first.' }),
    ),
    mTLS: Type.Optional(
      closed(
        {
          certificateExpirationTime: Type.Optional(timestamp('When the current certificate expires.')),
          lastCertificateRegeneration: Type.Optional(timestamp('When the certificate was last issued.')),
          certificateRegenerations: Type.Optional(nonNegativeInt('How many times a certificate was issued.')),
          issuedBackend: Type.Optional(Type.String({ description: 'CA backend that issued the current certificate.' })),
          supportedBackends: Type.Optional(stringList('CA backends the proxy trusts.')),
        },
        'The proxy certificate.',
      ),
    ),
  },
  'DataplaneInsight specification.',
);
export type DataplaneInsightSpec = Static<typeof DataplaneInsightSpecSchema>;

function validateDataplaneInsight(spec: DataplaneInsightSpec): Violation[] {
  return [
    ...runChecks(DataplaneInsightSpecSchema, spec),
    ...validateSubscriptions(spec.subscriptions ?? [], 'subscriptions'),
  ];
}

/** The DataplaneInsight resource type. */
export const dataplaneInsightDescriptor: ResourceDescriptor<typeof DataplaneInsightSpecSchema> = Object.freeze({
  name: 'DataplaneInsight',
  plural: 'dataplane-insights',
  aliases: ['dataplaneinsight', 'dataplane-insight'],
  scope: 'mesh',
  kds: 'zone-to-global',
  isPolicy: false,
  specLayout: 'inline',
  specSchema: DataplaneInsightSpecSchema,
  validate: validateDataplaneInsight,
  readOnlyOnFederatedZone: false,
  systemOnly: true,
  description: 'Observed state of a data plane proxy: its xDS streams, ACK/NACK counters and certificate.',
});
