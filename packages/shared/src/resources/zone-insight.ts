/**
 * ZoneInsight: what the global control plane observed about one zone's KDS streams, and
 * when the zone last proved it was alive. Written by the control plane only.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
import { field } from './common/field.js';
import { LastNackSchema, ServiceStatsSchema, timestamp, validateSubscriptions } from './common/insight.js';
import { closed } from './common/schema.js';

const KdsSubscriptionSchema = closed(
  {
    id: Type.String({ minLength: 1, description: 'Unique id of the stream.' }),
    globalInstanceId: Type.String({ description: 'Global control plane instance that served the stream.' }),
    zoneInstanceId: Type.Optional(Type.String({ description: 'Zone control plane instance on the other end.' })),
    connectTime: timestamp('When the stream opened.'),
    disconnectTime: Type.Optional(timestamp('When the stream closed; unset while connected.')),
    status: Type.Optional(
      closed(
        {
          lastUpdateTime: Type.Optional(timestamp('Last time the counters changed.')),
          total: Type.Optional(ServiceStatsSchema),
          stat: Type.Optional(
            Type.Record(Type.String(), ServiceStatsSchema, { description: 'Counters per resource type.' }),
          ),
          lastNack: Type.Optional(LastNackSchema),
        },
        'KDS counters of the stream.',
      ),
    ),
    version: Type.Optional(
      closed(
        {
          kumaCp: Type.Optional(
            closed(
              {
                version: Type.Optional(Type.String({ description: 'Version of the zone control plane.' })),
                gitTag: Type.Optional(Type.String({ description: 'Git tag of the build.' })),
                gitCommit: Type.Optional(Type.String({ description: 'Git commit of the build.' })),
                buildDate: Type.Optional(Type.String({ description: 'Build date.' })),
                kumaCpGlobalCompatible: Type.Optional(
                  Type.Boolean({ description: 'Compatible with the global control plane.' }),
                ),
              },
              'The zone control plane.',
            ),
          ),
        },
        'Versions reported by the zone.',
      ),
    ),
    config: Type.Optional(Type.String({ description: 'Configuration of the zone control plane, as JSON.' })),
    authTokenProvided: Type.Optional(Type.Boolean({ description: 'Whether the zone authenticated with a token.' })),
    generation: Type.Optional(Type.Integer({ minimum: 0, description: 'Bumped on every change of the status.' })),
  },
  'A KDS stream of the zone.',
);

/** Spec of a ZoneInsight (universal form, inline). */
export const ZoneInsightSpecSchema = closed(
  {
    subscriptions: Type.Optional(
      Type.Array(KdsSubscriptionSchema, { description: 'KDS streams of the zone, oldest first.' }),
    ),
    healthLastUpdateTime: Type.Optional(timestamp('Last time the zone reported it was alive.')),
    envoyAdminStreams: Type.Optional(
      closed(
        {
          configDumpGlobalInstanceId: Type.Optional(Type.String({ description: 'Instance serving config dumps.' })),
          statsGlobalInstanceId: Type.Optional(Type.String({ description: 'Instance serving stats.' })),
          clustersGlobalInstanceId: Type.Optional(Type.String({ description: 'Instance serving clusters.' })),
        },
        'Global instances holding the zone’s Envoy admin streams.',
      ),
    ),
  },
  'ZoneInsight specification.',
);
export type ZoneInsightSpec = Static<typeof ZoneInsightSpecSchema>;

function validateZoneInsight(spec: ZoneInsightSpec): Violation[] {
  const out = [
    ...runChecks(ZoneInsightSpecSchema, spec),
    ...validateSubscriptions(spec.subscriptions ?? [], 'subscriptions'),
  ];
  (spec.subscriptions ?? []).forEach((s, i) => {
    if (s.config === undefined || s.config === '') return;
    try {
      JSON.parse(s.config);
    } catch {
      out.push({ field: field('subscriptions', i, 'config'), reason: 'must be a JSON document' });
    }
  });
  return out;
}

/** The ZoneInsight resource type. */
export const zoneInsightDescriptor: ResourceDescriptor<typeof ZoneInsightSpecSchema> = Object.freeze({
  name: 'ZoneInsight',
  plural: 'zone-insights',
  aliases: ['zoneinsight', 'zone-insight'],
  scope: 'global',
  kds: 'none',
  isPolicy: false,
  specLayout: 'inline',
  specSchema: ZoneInsightSpecSchema,
  validate: validateZoneInsight,
  readOnlyOnFederatedZone: true,
  systemOnly: true,
  description: 'Observed state of a zone: its KDS streams, versions and last heartbeat.',
});
