/** MeshTimeout: connection, idle and HTTP request timeouts, inbound and outbound. */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
import { field } from './common/field.js';
import {
  checkDefaults,
  checkRuleMatches,
  mustBeEmpty,
  notWith,
  requireSome,
  validateEntryRefs,
  validateTopRef,
} from './common/policy.js';
import { fromList, ruleList, toList, topTargetRef } from './common/policy-schema.js';
import { closed, duration } from './common/schema.js';
import { type TargetRefKind, topLevelRef } from './common/target-ref.js';

const ConfSchema = closed(
  {
    connectionTimeout: Type.Optional(duration('Time to establish a connection.', 'duration-positive')),
    idleTimeout: Type.Optional(duration('Time a connection may stay idle; 0 disables.', 'duration-nonnegative')),
    http: Type.Optional(
      closed(
        {
          requestTimeout: Type.Optional(duration('Time to receive a whole response.', 'duration-nonnegative')),
          streamIdleTimeout: Type.Optional(duration('Time a stream may stay idle.', 'duration-nonnegative')),
          maxStreamDuration: Type.Optional(duration('Maximum lifetime of a stream.', 'duration-nonnegative')),
          maxConnectionDuration: Type.Optional(duration('Maximum lifetime of a connection.', 'duration-nonnegative')),
          requestHeadersTimeout: Type.Optional(
            duration('Time to receive the request headers.', 'duration-nonnegative'),
          ),
        },
        'HTTP timeouts.',
      ),
    ),
  },
  'Timeouts.',
);
type Conf = Static<typeof ConfSchema>;

/** Spec of a MeshTimeout. */
export const MeshTimeoutSpecSchema = closed(
  {
    targetRef: topTargetRef(),
    from: fromList(ConfSchema),
    to: toList(ConfSchema),
    rules: ruleList(ConfSchema),
  },
  'MeshTimeout specification.',
);
export type MeshTimeoutSpec = Static<typeof MeshTimeoutSpecSchema>;

const TOP_KINDS: readonly TargetRefKind[] = [
  'Mesh',
  'MeshSubset',
  'MeshGateway',
  'MeshService',
  'MeshServiceSubset',
  'MeshHTTPRoute',
  'Dataplane',
];
const TO_KINDS: readonly TargetRefKind[] = [
  'Mesh',
  'MeshService',
  'MeshExternalService',
  'MeshMultiZoneService',
  'MeshHTTPRoute',
];

function validateConf(conf: Conf, at: string, onRoute: boolean): Violation[] {
  if (conf.connectionTimeout === undefined && conf.idleTimeout === undefined && conf.http === undefined) {
    return [{ field: at, reason: 'must set at least one timeout' }];
  }
  const out: Violation[] = [];
  const http = conf.http;
  if (http !== undefined && Object.keys(http).length === 0) {
    out.push({ field: field(at, 'http'), reason: 'must set at least one timeout' });
  }
  if (onRoute) {
    const why = 'must not be set when the top-level targetRef is a MeshHTTPRoute';
    if (conf.connectionTimeout !== undefined) out.push({ field: field(at, 'connectionTimeout'), reason: why });
    if (conf.idleTimeout !== undefined) out.push({ field: field(at, 'idleTimeout'), reason: why });
    if (http?.maxStreamDuration !== undefined) out.push({ field: field(at, 'http', 'maxStreamDuration'), reason: why });
    if (http?.maxConnectionDuration !== undefined) {
      out.push({ field: field(at, 'http', 'maxConnectionDuration'), reason: why });
    }
  }
  return out;
}

function validate(spec: MeshTimeoutSpec): Violation[] {
  const top = topLevelRef(spec.targetRef);
  const routeOrGateway = top.kind === 'MeshHTTPRoute' || top.kind === 'MeshGateway';
  return [
    ...runChecks(MeshTimeoutSpecSchema, spec, 'spec'),
    ...validateTopRef(spec.targetRef, TOP_KINDS, spec),
    ...requireSome(spec, ['from', 'to', 'rules']),
    ...notWith(spec, 'rules', ['from']),
    ...(routeOrGateway ? mustBeEmpty(spec, 'from', `when the top-level targetRef is a ${top.kind}`) : []),
    ...validateEntryRefs(spec.from, 'from', ['Mesh']),
    ...validateEntryRefs(spec.to, 'to', routeOrGateway ? ['Mesh'] : TO_KINDS),
    ...checkRuleMatches(spec.rules),
    ...checkDefaults(spec, (conf, at) => validateConf(conf, at, top.kind === 'MeshHTTPRoute')),
  ];
}

/** The MeshTimeout policy type. */
export const meshTimeoutDescriptor: ResourceDescriptor<typeof MeshTimeoutSpecSchema> = Object.freeze({
  name: 'MeshTimeout',
  plural: 'meshtimeouts',
  aliases: ['meshtimeout', 'mt'],
  scope: 'mesh',
  kds: 'both',
  isPolicy: true,
  specLayout: 'nested',
  specSchema: MeshTimeoutSpecSchema,
  validate,
  readOnlyOnFederatedZone: false,
  systemOnly: false,
  description: 'Sets connection, idle and HTTP request timeouts on inbound and outbound traffic.',
});
