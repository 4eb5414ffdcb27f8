/** MeshTCPRoute: sends outbound TCP traffic of a destination to weighted backends. */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { BackendRefSchema } from './common/backend-ref.js';
import { runChecks } from './common/checks.js';
import { field } from './common/field.js';
import { TOP_LEVEL_KINDS, validateTopRef } from './common/policy.js';
import { topTargetRef } from './common/policy-schema.js';
import { closed } from './common/schema.js';
import { type TargetRefKind, TargetRefSchema, topLevelRef, validateTargetRef } from './common/target-ref.js';

/** Spec of a MeshTCPRoute. */
export const MeshTCPRouteSpecSchema = closed(
  {
    targetRef: topTargetRef(),
    to: Type.Array(
      closed(
        {
          targetRef: TargetRefSchema,
          rules: Type.Array(
            closed(
              {
                default: closed(
                  { backendRefs: Type.Optional(Type.Array(BackendRefSchema, { description: 'Weighted backends.' })) },
                  'Where the traffic goes.',
                ),
              },
              'The routing rule.',
            ),
            { maxItems: 1, description: 'At most one rule: TCP has nothing to match on.' },
          ),
        },
        'Routing of traffic to the destination the targetRef selects.',
      ),
      { minItems: 1, description: 'Routes per destination.' },
    ),
  },
  'MeshTCPRoute specification.',
);
export type MeshTCPRouteSpec = Static<typeof MeshTCPRouteSpecSchema>;

const TO_KINDS: readonly TargetRefKind[] = ['MeshService', 'MeshExternalService', 'MeshMultiZoneService'];
const BACKEND_KINDS: readonly TargetRefKind[] = [
  'MeshService',
  'MeshServiceSubset',
  'MeshExternalService',
  'MeshMultiZoneService',
];

function validate(spec: MeshTCPRouteSpec): Violation[] {
  const gateway = topLevelRef(spec.targetRef).kind === 'MeshGateway';
  const out = [
    ...runChecks(MeshTCPRouteSpecSchema, spec, 'spec'),
    ...validateTopRef(spec.targetRef, TOP_LEVEL_KINDS, spec),
  ];
  spec.to.forEach((to, i) => {
    out.push(...validateTargetRef(to.targetRef, field('spec', 'to', i, 'targetRef'), gateway ? ['Mesh'] : TO_KINDS));
    to.rules.forEach((rule, j) => {
      (rule.default.backendRefs ?? []).forEach((b, k) => {
        out.push(
          ...validateTargetRef(b, field('spec', 'to', i, 'rules', j, 'default', 'backendRefs', k), BACKEND_KINDS),
        );
      });
    });
  });
  return out;
}

/** The MeshTCPRoute policy type. */
export const meshTCPRouteDescriptor: ResourceDescriptor<typeof MeshTCPRouteSpecSchema> = Object.freeze({
  name: 'MeshTCPRoute',
  plural: 'meshtcproutes',
  aliases: ['meshtcproute', 'mtcpr'],
  scope: 'mesh',
  kds: 'both',
  isPolicy: true,
  specLayout: 'nested',
  specSchema: MeshTCPRouteSpecSchema,
  validate,
  readOnlyOnFederatedZone: false,
  systemOnly: false,
  description: 'Routes outbound TCP traffic of a destination to weighted backends.',
});
