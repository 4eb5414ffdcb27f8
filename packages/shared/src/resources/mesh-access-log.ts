/** MeshAccessLog: where proxies send access logs for inbound and outbound traffic. */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
import { ConditionsStatusSchema } from './common/conditions.js';
import { field } from './common/field.js';
import {
  checkDefaults,
  checkRuleMatches,
  notWith,
  requireSome,
  TOP_LEVEL_KINDS,
  validateEntryRefs,
  validateTopRef,
} from './common/policy.js';
import { fromList, ruleList, toList, topTargetRef } from './common/policy-schema.js';
import { checkedString, closed, enumOf, stringMap } from './common/schema.js';
import type { TargetRefKind } from './common/target-ref.js';

const FormatSchema = closed(
  {
    type: enumOf(['Plain', 'Json'], 'Plain text or JSON lines.'),
    plain: Type.Optional(Type.String({ description: 'Envoy format string (type Plain).' })),
    json: Type.Optional(
      Type.Array(
        closed(
          {
            key: Type.String({ description: 'JSON key.' }),
            value: Type.String({ description: 'Envoy format string for the value.' }),
          },
          'A field of the JSON line.',
        ),
        { description: 'Fields of each JSON line (type Json).' },
      ),
    ),
    omitEmptyValues: Type.Optional(Type.Boolean({ description: 'Leave out empty values.' })),
  },
  'Format of the log lines.',
);
type Format = Static<typeof FormatSchema>;

const BackendSchema = closed(
  {
    type: enumOf(['Tcp', 'File', 'OpenTelemetry'], 'Kind of backend; its settings go in tcp, file or openTelemetry.'),
    file: Type.Optional(
      closed(
        {
          path: Type.String({ minLength: 1, description: 'File the logs are written to.' }),
          format: Type.Optional(FormatSchema),
        },
        'Logs to a file.',
      ),
    ),
    tcp: Type.Optional(
      closed(
        {
          address: checkedString('url', 'Collector address, host:port or a URL.', { minLength: 1 }),
          format: Type.Optional(FormatSchema),
        },
        'Logs to a TCP collector.',
      ),
    ),
    openTelemetry: Type.Optional(
      closed(
        {
          endpoint: Type.Optional(Type.String({ description: 'OTLP collector address, host:port.' })),
          backendRef: Type.Optional(
            closed(
              {
                kind: enumOf(['MeshOpenTelemetryBackend'], 'Kind of the referenced backend.'),
                labels: Type.Optional(stringMap('Selects the backend by labels.')),
              },
              'A MeshOpenTelemetryBackend to send to.',
            ),
          ),
          attributes: Type.Optional(
            Type.Array(
              closed(
                {
                  key: Type.String({ pattern: '^[a-z]([a-z0-9]|[._][a-z0-9])*$', description: 'Attribute key.' }),
                  value: Type.String({ description: 'Envoy format string for the value.' }),
                },
                'An attribute of each log record.',
              ),
              { description: 'Attributes of each log record.' },
            ),
          ),
          body: Type.Optional(
            Type.Unknown({ description: 'Body of each log record: any JSON value of format strings.' }),
          ),
        },
        'Logs to an OpenTelemetry collector.',
      ),
    ),
  },
  'A log backend.',
);
type Backend = Static<typeof BackendSchema>;

const ConfSchema = closed(
  { backends: Type.Array(BackendSchema, { description: 'Where logs go.' }) },
  'Access log configuration.',
);
type Conf = Static<typeof ConfSchema>;

/** Spec of a MeshAccessLog. */
export const MeshAccessLogSpecSchema = closed(
  { targetRef: topTargetRef(), from: fromList(ConfSchema), to: toList(ConfSchema), rules: ruleList(ConfSchema) },
  'MeshAccessLog specification.',
);
export type MeshAccessLogSpec = Static<typeof MeshAccessLogSpecSchema>;

const TO_KINDS: readonly TargetRefKind[] = ['Mesh', 'MeshService', 'MeshExternalService', 'MeshMultiZoneService'];
const BACKEND_FIELD = { Tcp: 'tcp', File: 'file', OpenTelemetry: 'openTelemetry' } as const;

function validateFormat(format: Format | undefined, at: string): Violation[] {
  if (format === undefined) return [];
  if (format.type === 'Plain' && (format.plain ?? '') === '') {
    return [{ field: field(at, 'plain'), reason: 'must be set with type Plain' }];
  }
  if (format.type === 'Json') {
    if ((format.json ?? []).length === 0) return [{ field: field(at, 'json'), reason: 'must be set with type Json' }];
    return (format.json ?? []).flatMap((kv, i) => [
      ...(kv.key === '' ? [{ field: field(at, 'json', i, 'key'), reason: 'must not be empty' }] : []),
      ...(kv.value === '' ? [{ field: field(at, 'json', i, 'value'), reason: 'must not be empty' }] : []),
    ]);
  }
  return [];
}

function validateBackend(b: Backend, at: string): Violation[] {
  const sub = BACKEND_FIELD[b.type];
  if (b[sub] === undefined) return [{ field: field(at, sub), reason: `must be set with type ${b.type}` }];
  return [
    ...validateFormat(b.file?.format, field(at, 'file', 'format')),
    ...validateFormat(b.tcp?.format, field(at, 'tcp', 'format')),
  ];
}

function validateConf(conf: Conf, at: string): Violation[] {
  return conf.backends.flatMap((b, i) => validateBackend(b, field(at, 'backends', i)));
}

function validate(spec: MeshAccessLogSpec): Violation[] {
  return [
    ...runChecks(MeshAccessLogSpecSchema, spec, 'spec'),
    ...validateTopRef(spec.targetRef, TOP_LEVEL_KINDS, spec),
    ...requireSome(spec, ['from', 'to', 'rules']),
    ...notWith(spec, 'rules', ['from']),
    ...validateEntryRefs(spec.from, 'from', ['Mesh']),
    ...validateEntryRefs(spec.to, 'to', TO_KINDS),
    ...checkRuleMatches(spec.rules),
    ...checkDefaults(spec, validateConf),
  ];
}

/** The MeshAccessLog policy type. */
export const meshAccessLogDescriptor: ResourceDescriptor<typeof MeshAccessLogSpecSchema> = Object.freeze({
  name: 'MeshAccessLog',
  plural: 'meshaccesslogs',
  aliases: ['meshaccesslog', 'mal'],
  scope: 'mesh',
  kds: 'both',
  isPolicy: true,
  specLayout: 'nested',
  specSchema: MeshAccessLogSpecSchema,
  statusSchema: ConditionsStatusSchema,
  validate,
  readOnlyOnFederatedZone: false,
  systemOnly: false,
  description: 'Sends access logs of inbound and outbound traffic to files, TCP or OpenTelemetry collectors.',
});
