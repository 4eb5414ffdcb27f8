/**
 * Pieces of the insight types (DataplaneInsight, ZoneIngressInsight, ZoneInsight): the
 * per-stream subscriptions a control plane records for each connected proxy or zone.
 * Timestamps are RFC 3339 strings. Counters accept a number or, as Kuma's protojson output
 * writes 64-bit counters, a decimal string.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../../errors/strait-error.js';
import { field } from './field.js';
import { checkedString, closed, stringMap } from './schema.js';

/** An RFC 3339 timestamp. */
export function timestamp(description: string) {
  return checkedString('rfc3339', `${description} RFC 3339, e.g. 2024-05-01T12:00:00Z.`);
}

/** A non-negative counter: an integer or a decimal string. */
export function counter(description: string) {
  return Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]+$' })], { description });
}

/** Response counters of one resource type (or all types) on one stream. */
export const ServiceStatsSchema = closed(
  {
    responsesSent: Type.Optional(counter('Responses sent.')),
    responsesAcknowledged: Type.Optional(counter('Responses the peer acknowledged (ACK).')),
    responsesRejected: Type.Optional(counter('Responses the peer rejected (NACK).')),
  },
  'Response counters.',
);

/** Strait extension: the last rejection (NACK) the peer sent, with its error text. */
export const LastNackSchema = closed(
  {
    type: Type.String({ description: 'Resource type the peer rejected, e.g. a type URL.' }),
    message: Type.String({ description: 'Error text the peer sent with the NACK.' }),
    time: timestamp('When the NACK arrived.'),
  },
  'The last NACK received on this stream (Strait extension).',
);

const DiscoveryStatusSchema = closed(
  {
    lastUpdateTime: Type.Optional(timestamp('Last time the counters changed.')),
    total: Type.Optional(ServiceStatsSchema),
    cds: Type.Optional(ServiceStatsSchema),
    eds: Type.Optional(ServiceStatsSchema),
    lds: Type.Optional(ServiceStatsSchema),
    rds: Type.Optional(ServiceStatsSchema),
    lastNack: Type.Optional(LastNackSchema),
  },
  'xDS counters of the stream.',
);

const DataplaneVersionSchema = closed(
  {
    kumaDp: Type.Optional(
      closed(
        {
          version: Type.Optional(Type.String({ description: 'Version of the data plane agent.' })),
          gitTag: Type.Optional(Type.String({ description: 'Git tag of the build.' })),
          gitCommit: Type.Optional(Type.String({ description: 'Git commit of the build.' })),
          buildDate: Type.Optional(Type.String({ description: 'Build date.' })),
          kumaCpCompatible: Type.Optional(Type.Boolean({ description: 'Compatible with the control plane.' })),
        },
        'The data plane agent.',
      ),
    ),
    envoy: Type.Optional(
      closed(
        {
          version: Type.Optional(Type.String({ description: 'Envoy version.' })),
          build: Type.Optional(Type.String({ description: 'Envoy build string.' })),
          kumaDpCompatible: Type.Optional(Type.Boolean({ description: 'Compatible with the data plane agent.' })),
        },
        'The Envoy binary.',
      ),
    ),
    dependencies: Type.Optional(stringMap('Versions of other components (e.g. coredns).')),
  },
  'Versions reported by the proxy.',
);

/** One xDS stream between a proxy and a control plane instance. */
export const DiscoverySubscriptionSchema = closed(
  {
    id: Type.String({ minLength: 1, description: 'Unique id of the stream.' }),
    controlPlaneInstanceId: Type.String({ description: 'Control plane instance that served the stream.' }),
    connectTime: timestamp('When the stream opened.'),
    disconnectTime: Type.Optional(timestamp('When the stream closed; unset while connected.')),
    status: Type.Optional(DiscoveryStatusSchema),
    version: Type.Optional(DataplaneVersionSchema),
    generation: Type.Optional(Type.Integer({ minimum: 0, description: 'Bumped on every change of the status.' })),
  },
  'An xDS stream of the proxy.',
);
export type DiscoverySubscription = Static<typeof DiscoverySubscriptionSchema>;

/** Subscription ids must be unique, and a stream cannot close before it opened. */
export function validateSubscriptions(
  subscriptions: readonly { readonly id: string; readonly connectTime: string; readonly disconnectTime?: string }[],
  at: string,
): Violation[] {
  const out: Violation[] = [];
  const ids = new Set<string>();
  subscriptions.forEach((s, i) => {
    if (ids.has(s.id))
      out.push({ field: field(at, i, 'id'), reason: `"${s.id}" is already used by another subscription` });
    ids.add(s.id);
    if (s.disconnectTime !== undefined && Date.parse(s.disconnectTime) < Date.parse(s.connectTime)) {
      out.push({ field: field(at, i, 'disconnectTime'), reason: 'must not be before connectTime' });
    }
  });
  return out;
}
