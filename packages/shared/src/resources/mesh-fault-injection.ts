/** MeshFaultInjection: injects HTTP delays, aborts and bandwidth limits into inbound traffic. */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
import {
  checkRuleMatches,
  mustBeEmpty,
  notWith,
  TOP_LEVEL_KINDS,
  validateEntryRefs,
  validateTopRef,
} from './common/policy.js';
import { fromList, ruleList, toList, topTargetRef } from './common/policy-schema.js';
import { checkedString, closed, duration, percent } from './common/schema.js';
import { includesGateways, topLevelRef } from './common/target-ref.js';

const ConfSchema = closed(
  {
    http: Type.Optional(
      Type.Array(
        closed(
          {
            abort: Type.Optional(
              closed(
                {
                  httpStatus: Type.Integer({ minimum: 100, maximum: 599, description: 'Status to answer with.' }),
                  percentage: percent('Share of requests aborted.'),
                },
                'Aborts requests with a status.',
              ),
            ),
            delay: Type.Optional(
              closed(
                {
                  value: duration('Delay added to requests.', 'duration-nonnegative'),
                  percentage: percent('Share of requests delayed.'),
                },
                'Delays requests.',
              ),
            ),
            responseBandwidth: Type.Optional(
              closed(
                {
                  limit: checkedString('bandwidth', 'Bandwidth limit, e.g. 10Mbps (kbps, Mbps or Gbps).'),
                  percentage: percent('Share of requests limited.'),
                },
                'Limits response bandwidth.',
              ),
            ),
          },
          'A fault.',
        ),
        { description: 'HTTP faults to inject.' },
      ),
    ),
  },
  'Faults to inject.',
);

/** Spec of a MeshFaultInjection. */
export const MeshFaultInjectionSpecSchema = closed(
  { targetRef: topTargetRef(), from: fromList(ConfSchema), to: toList(ConfSchema), rules: ruleList(ConfSchema) },
  'MeshFaultInjection specification.',
);
export type MeshFaultInjectionSpec = Static<typeof MeshFaultInjectionSpecSchema>;

function validate(spec: MeshFaultInjectionSpec): Violation[] {
  const top = topLevelRef(spec.targetRef);
  return [
    ...runChecks(MeshFaultInjectionSpecSchema, spec, 'spec'),
    ...validateTopRef(spec.targetRef, TOP_LEVEL_KINDS, spec),
    ...notWith(spec, 'rules', ['from', 'to']),
    ...(includesGateways(top) ? [] : mustBeEmpty(spec, 'to', 'unless the top-level targetRef selects gateways')),
    ...validateEntryRefs(spec.from, 'from', ['Mesh', 'MeshSubset', 'MeshService', 'MeshServiceSubset']),
    ...validateEntryRefs(spec.to, 'to', ['Mesh']),
    ...checkRuleMatches(spec.rules),
  ];
}

/** The MeshFaultInjection policy type. */
export const meshFaultInjectionDescriptor: ResourceDescriptor<typeof MeshFaultInjectionSpecSchema> = Object.freeze({
  name: 'MeshFaultInjection',
  plural: 'meshfaultinjections',
  aliases: ['meshfaultinjection', 'mfi'],
  scope: 'mesh',
  kds: 'both',
  isPolicy: true,
  specLayout: 'nested',
  specSchema: MeshFaultInjectionSpecSchema,
  validate,
  readOnlyOnFederatedZone: false,
  systemOnly: false,
  description: 'Injects HTTP delays, aborts and bandwidth limits into traffic, for resilience testing.',
});
