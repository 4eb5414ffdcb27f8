/** MeshRateLimit: local rate limits on inbound HTTP requests and TCP connections. */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
import { parseDuration } from './common/duration.js';
import { field } from './common/field.js';
import { HeaderValueSchema } from './common/headers.js';
import {
  checkDefaults,
  checkRuleMatches,
  mustBeEmpty,
  notWith,
  TOP_LEVEL_KINDS,
  validateEntryRefs,
  validateTopRef,
} from './common/policy.js';
import { fromList, ruleList, toList, topTargetRef } from './common/policy-schema.js';
import { closed, duration, positiveInt } from './common/schema.js';
import { includesGateways, type TargetRefKind, topLevelRef } from './common/target-ref.js';

const RateSchema = closed(
  {
    num: positiveInt('Number of requests or connections allowed per interval.'),
    interval: duration('Length of the interval, at least 50ms.', 'duration-positive'),
  },
  'A rate: num per interval.',
);

const ConfSchema = closed(
  {
    local: Type.Optional(
      closed(
        {
          http: Type.Optional(
            closed(
              {
                disabled: Type.Optional(Type.Boolean({ description: 'Turns the HTTP limit off.' })),
                requestRate: Type.Optional(RateSchema),
                onRateLimit: Type.Optional(
                  closed(
                    {
                      status: Type.Optional(positiveInt('Status of rate-limited responses; 429 when unset.')),
                      headers: Type.Optional(
                        closed(
                          {
                            add: Type.Optional(
                              Type.Array(HeaderValueSchema, { maxItems: 16, description: 'Headers appended.' }),
                            ),
                            set: Type.Optional(
                              Type.Array(HeaderValueSchema, { maxItems: 16, description: 'Headers set.' }),
                            ),
                          },
                          'Headers added to rate-limited responses.',
                        ),
                      ),
                    },
                    'The response to a rate-limited request.',
                  ),
                ),
              },
              'Limits HTTP requests.',
            ),
          ),
          tcp: Type.Optional(
            closed(
              {
                disabled: Type.Optional(Type.Boolean({ description: 'Turns the TCP limit off.' })),
                connectionRate: Type.Optional(RateSchema),
              },
              'Limits TCP connections.',
            ),
          ),
        },
        'Limits enforced by each proxy on its own.',
      ),
    ),
  },
  'Rate limit configuration.',
);
type Conf = Static<typeof ConfSchema>;

/** Spec of a MeshRateLimit. */
export const MeshRateLimitSpecSchema = closed(
  { targetRef: topTargetRef(), from: fromList(ConfSchema), to: toList(ConfSchema), rules: ruleList(ConfSchema) },
  'MeshRateLimit specification.',
);
export type MeshRateLimitSpec = Static<typeof MeshRateLimitSpecSchema>;

const TOP_KINDS: readonly TargetRefKind[] = [...TOP_LEVEL_KINDS, 'MeshHTTPRoute'];
const MIN_INTERVAL_MS = 50;

function validateRate(rate: { interval: string } | undefined, at: string): Violation[] {
  const ms = rate === undefined ? undefined : parseDuration(rate.interval);
  return ms !== undefined && ms > 0 && ms < MIN_INTERVAL_MS
    ? [{ field: field(at, 'interval'), reason: 'must be at least 50ms' }]
    : [];
}

function validateConf(conf: Conf, at: string): Violation[] {
  const local = conf.local;
  const localAt = field(at, 'local');
  if (local === undefined) return [{ field: localAt, reason: 'must be set' }];
  if (local.http === undefined && local.tcp === undefined) {
    return [{ field: localAt, reason: 'must set at least one of tcp, http' }];
  }
  const out: Violation[] = [];
  const http = local.http;
  if (http !== undefined) {
    if (http.disabled === undefined && http.requestRate === undefined && http.onRateLimit === undefined) {
      out.push({
        field: field(localAt, 'http'),
        reason: 'must set at least one of disabled, requestRate, onRateLimit',
      });
    }
    out.push(...validateRate(http.requestRate, field(localAt, 'http', 'requestRate')));
  }
  const tcp = local.tcp;
  if (tcp !== undefined) {
    if (tcp.disabled === undefined && tcp.connectionRate === undefined) {
      out.push({ field: field(localAt, 'tcp'), reason: 'must set at least one of disabled, connectionRate' });
    }
    out.push(...validateRate(tcp.connectionRate, field(localAt, 'tcp', 'connectionRate')));
  }
  return out;
}

function validate(spec: MeshRateLimitSpec): Violation[] {
  const top = topLevelRef(spec.targetRef);
  const onRoute = top.kind === 'MeshHTTPRoute';
  return [
    ...runChecks(MeshRateLimitSpecSchema, spec, 'spec'),
    ...validateTopRef(spec.targetRef, TOP_KINDS, spec),
    ...notWith(spec, 'rules', ['from', 'to']),
    ...(onRoute ? mustBeEmpty(spec, 'from', 'when the top-level targetRef is a MeshHTTPRoute') : []),
    ...(onRoute ? mustBeEmpty(spec, 'rules', 'when the top-level targetRef is a MeshHTTPRoute') : []),
    ...(includesGateways(top) ? [] : mustBeEmpty(spec, 'to', 'unless the top-level targetRef selects gateways')),
    ...validateEntryRefs(spec.from, 'from', ['Mesh']),
    ...validateEntryRefs(spec.to, 'to', ['Mesh']),
    ...checkRuleMatches(spec.rules),
    ...checkDefaults(spec, validateConf),
  ];
}

/** The MeshRateLimit policy type. */
export const meshRateLimitDescriptor: ResourceDescriptor<typeof MeshRateLimitSpecSchema> = Object.freeze({
  name: 'MeshRateLimit',
  plural: 'meshratelimits',
  aliases: ['meshratelimit', 'mrl'],
  scope: 'mesh',
  kds: 'both',
  isPolicy: true,
  specLayout: 'nested',
  specSchema: MeshRateLimitSpecSchema,
  validate,
  readOnlyOnFederatedZone: false,
  systemOnly: false,
  description: 'Limits the rate of inbound HTTP requests and TCP connections, enforced by each proxy.',
});
