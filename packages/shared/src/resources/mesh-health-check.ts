/** MeshHealthCheck: active health checks of outbound endpoints over HTTP, TCP or gRPC. */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
import { field } from './common/field.js';
import { HeaderValueSchema } from './common/headers.js';
import { checkDefaults, TOP_LEVEL_KINDS, validateEntryRefs, validateTopRef } from './common/policy.js';
import { toList, topTargetRef } from './common/policy-schema.js';
import { closed, duration, percent, positiveInt, stringList } from './common/schema.js';
import type { TargetRefKind } from './common/target-ref.js';

const ConfSchema = closed(
  {
    interval: Type.Optional(duration('Time between checks.', 'duration-positive')),
    timeout: Type.Optional(duration('Time to wait for a check response.', 'duration-positive')),
    unhealthyThreshold: Type.Optional(positiveInt('Failed checks before a host is unhealthy.')),
    healthyThreshold: Type.Optional(positiveInt('Passed checks before a host is healthy.')),
    initialJitter: Type.Optional(duration('Random delay before the first check.', 'duration-positive')),
    intervalJitter: Type.Optional(duration('Random delay added to each interval.', 'duration-positive')),
    intervalJitterPercent: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100, description: 'Random delay as a percentage of the interval.' }),
    ),
    healthyPanicThreshold: Type.Optional(percent('Below this share of healthy hosts, all hosts are used.')),
    failTrafficOnPanic: Type.Optional(
      Type.Boolean({ description: 'Fail traffic instead of using all hosts in panic.' }),
    ),
    noTrafficInterval: Type.Optional(duration('Check interval while a cluster has no traffic.', 'duration-positive')),
    eventLogPath: Type.Optional(Type.String({ minLength: 1, description: 'File to log health check events to.' })),
    alwaysLogHealthCheckFailures: Type.Optional(Type.Boolean({ description: 'Log every failed check.' })),
    reuseConnection: Type.Optional(Type.Boolean({ description: 'Reuse the connection between checks.' })),
    http: Type.Optional(
      closed(
        {
          disabled: Type.Optional(Type.Boolean({ description: 'Turns the HTTP check off.' })),
          path: Type.Optional(Type.String({ minLength: 1, description: 'Path requested; / when unset.' })),
          expectedStatuses: Type.Optional(
            Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), { description: 'Statuses counted healthy.' }),
          ),
          requestHeadersToAdd: Type.Optional(
            closed(
              {
                add: Type.Optional(Type.Array(HeaderValueSchema, { maxItems: 16, description: 'Headers appended.' })),
                set: Type.Optional(Type.Array(HeaderValueSchema, { maxItems: 16, description: 'Headers set.' })),
              },
              'Headers sent with the check.',
            ),
          ),
        },
        'HTTP health check.',
      ),
    ),
    tcp: Type.Optional(
      closed(
        {
          disabled: Type.Optional(Type.Boolean({ description: 'Turns the TCP check off.' })),
          send: Type.Optional(Type.String({ description: 'Base64 payload sent on connect.' })),
          receive: Type.Optional(stringList('Base64 payloads expected back.')),
        },
        'TCP health check.',
      ),
    ),
    grpc: Type.Optional(
      closed(
        {
          disabled: Type.Optional(Type.Boolean({ description: 'Turns the gRPC check off.' })),
          serviceName: Type.Optional(Type.String({ description: 'Service name sent in the health check request.' })),
          authority: Type.Optional(Type.String({ description: ':authority of the check request.' })),
        },
        'gRPC health check.',
      ),
    ),
  },
  'Health check configuration; at least one of http, tcp and grpc.',
);
type Conf = Static<typeof ConfSchema>;

/** Spec of a MeshHealthCheck. */
export const MeshHealthCheckSpecSchema = closed(
  { targetRef: topTargetRef(), to: toList(ConfSchema) },
  'MeshHealthCheck specification.',
);
export type MeshHealthCheckSpec = Static<typeof MeshHealthCheckSpecSchema>;

const TO_KINDS: readonly TargetRefKind[] = ['Mesh', 'MeshService', 'MeshMultiZoneService'];

function validateConf(conf: Conf, at: string): Violation[] {
  if (conf.http === undefined && conf.tcp === undefined && conf.grpc === undefined) {
    return [{ field: at, reason: 'must set at least one of http, tcp, grpc' }];
  }
  const out: Violation[] = [];
  if (conf.http?.path !== undefined && !conf.http.path.startsWith('/')) {
    out.push({ field: field(at, 'http', 'path'), reason: 'must be an absolute path' });
  }
  return out;
}

function validate(spec: MeshHealthCheckSpec): Violation[] {
  return [
    ...runChecks(MeshHealthCheckSpecSchema, spec, 'spec'),
    ...validateTopRef(spec.targetRef, TOP_LEVEL_KINDS, spec),
    ...validateEntryRefs(spec.to, 'to', TO_KINDS),
    ...checkDefaults(spec, validateConf),
  ];
}

/** The MeshHealthCheck policy type. */
export const meshHealthCheckDescriptor: ResourceDescriptor<typeof MeshHealthCheckSpecSchema> = Object.freeze({
  name: 'MeshHealthCheck',
  plural: 'meshhealthchecks',
  aliases: ['meshhealthcheck', 'mhc'],
  scope: 'mesh',
  kds: 'both',
  isPolicy: true,
  specLayout: 'nested',
  specSchema: MeshHealthCheckSpecSchema,
  validate,
  readOnlyOnFederatedZone: false,
  systemOnly: false,
  description: 'Actively health-checks the endpoints of outbound services over HTTP, TCP or gRPC.',
});
