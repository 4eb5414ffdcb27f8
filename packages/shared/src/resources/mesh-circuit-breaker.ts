/** MeshCircuitBreaker: connection limits and outlier detection (ejecting failing endpoints). */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
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
import { closed, duration, intOrString, percent, positiveInt } from './common/schema.js';
import { type TargetRefKind, topLevelRef } from './common/target-ref.js';

const consecutive = (what: string) =>
  closed({ consecutive: Type.Optional(positiveInt(`Consecutive ${what} before ejection.`)) }, `Ejects on ${what}.`);

const ConfSchema = closed(
  {
    connectionLimits: Type.Optional(
      closed(
        {
          maxConnections: Type.Optional(positiveInt('Maximum connections to the upstream cluster.')),
          maxConnectionPools: Type.Optional(positiveInt('Maximum connection pools.')),
          maxPendingRequests: Type.Optional(positiveInt('Maximum requests waiting for a connection.')),
          maxRequests: Type.Optional(positiveInt('Maximum parallel requests.')),
          maxRetries: Type.Optional(positiveInt('Maximum parallel retries.')),
        },
        'Limits on connections and requests.',
      ),
    ),
    outlierDetection: Type.Optional(
      closed(
        {
          disabled: Type.Optional(Type.Boolean({ description: 'Turns outlier detection off.' })),
          interval: Type.Optional(duration('Time between ejection sweeps.', 'duration-positive')),
          baseEjectionTime: Type.Optional(duration('Base time a host stays ejected.', 'duration-positive')),
          maxEjectionPercent: Type.Optional(
            Type.Integer({ minimum: 0, maximum: 100, description: 'Maximum percentage of hosts ejected.' }),
          ),
          splitExternalAndLocalErrors: Type.Optional(
            Type.Boolean({ description: 'Count local-origin failures apart from external ones.' }),
          ),
          healthyPanicThreshold: Type.Optional(percent('Below this share of healthy hosts, ejection is ignored.')),
          detectors: Type.Optional(
            closed(
              {
                totalFailures: Type.Optional(consecutive('5xx responses or connection failures')),
                gatewayFailures: Type.Optional(consecutive('gateway errors (502, 503, 504)')),
                localOriginFailures: Type.Optional(consecutive('locally originated failures')),
                successRate: Type.Optional(
                  closed(
                    {
                      minimumHosts: Type.Optional(positiveInt('Hosts needed for the success rate to apply.')),
                      requestVolume: Type.Optional(positiveInt('Requests per host needed in an interval.')),
                      standardDeviationFactor: Type.Optional(
                        intOrString('decimal-positive', 'Ejection threshold factor of the standard deviation.'),
                      ),
                    },
                    'Ejects hosts whose success rate deviates from the mean.',
                  ),
                ),
                failurePercentage: Type.Optional(
                  closed(
                    {
                      minimumHosts: Type.Optional(positiveInt('Hosts needed for the detector to apply.')),
                      requestVolume: Type.Optional(positiveInt('Requests per host needed in an interval.')),
                      threshold: Type.Optional(
                        Type.Integer({ minimum: 0, maximum: 100, description: 'Failure percentage that ejects.' }),
                      ),
                    },
                    'Ejects hosts whose failure percentage exceeds a threshold.',
                  ),
                ),
              },
              'What counts as an outlier.',
            ),
          ),
        },
        'Ejects endpoints that fail.',
      ),
    ),
  },
  'Circuit breaker configuration; at least one of connectionLimits and outlierDetection.',
);
type Conf = Static<typeof ConfSchema>;

/** Spec of a MeshCircuitBreaker. */
export const MeshCircuitBreakerSpecSchema = closed(
  { targetRef: topTargetRef(), from: fromList(ConfSchema), to: toList(ConfSchema), rules: ruleList(ConfSchema) },
  'MeshCircuitBreaker specification.',
);
export type MeshCircuitBreakerSpec = Static<typeof MeshCircuitBreakerSpecSchema>;

const TO_KINDS: readonly TargetRefKind[] = ['Mesh', 'MeshService', 'MeshExternalService', 'MeshMultiZoneService'];

function validateConf(conf: Conf, at: string): Violation[] {
  if (conf.connectionLimits === undefined && conf.outlierDetection === undefined) {
    return [{ field: at, reason: 'must set at least one of connectionLimits, outlierDetection' }];
  }
  const od = conf.outlierDetection;
  if (od === undefined || od.disabled === true) return [];
  const detectors = od.detectors;
  if (detectors === undefined || Object.keys(detectors).length === 0) {
    return [
      {
        field: field(at, 'outlierDetection', 'detectors'),
        reason:
          'must set at least one of totalFailures, gatewayFailures, localOriginFailures, successRate, failurePercentage',
      },
    ];
  }
  return [];
}

function validate(spec: MeshCircuitBreakerSpec): Violation[] {
  const top = topLevelRef(spec.targetRef);
  const out = [
    ...runChecks(MeshCircuitBreakerSpecSchema, spec, 'spec'),
    ...validateTopRef(spec.targetRef, TOP_LEVEL_KINDS, spec),
    ...requireSome(spec, ['from', 'to', 'rules']),
    ...notWith(spec, 'rules', ['from']),
    ...validateEntryRefs(spec.from, 'from', ['Mesh']),
    ...validateEntryRefs(spec.to, 'to', TO_KINDS),
    ...checkRuleMatches(spec.rules),
    ...checkDefaults(spec, validateConf),
  ];
  (spec.to ?? []).forEach((t, i) => {
    if (t.targetRef.kind === 'MeshExternalService' && top.kind !== 'Mesh') {
      out.push({
        field: field('spec', 'to', i, 'targetRef', 'kind'),
        reason: 'MeshExternalService is only allowed when the top-level targetRef is Mesh',
      });
    }
  });
  return out;
}

/** The MeshCircuitBreaker policy type. */
export const meshCircuitBreakerDescriptor: ResourceDescriptor<typeof MeshCircuitBreakerSpecSchema> = Object.freeze({
  name: 'MeshCircuitBreaker',
  plural: 'meshcircuitbreakers',
  aliases: ['meshcircuitbreaker', 'mcb'],
  scope: 'mesh',
  kds: 'both',
  isPolicy: true,
  specLayout: 'nested',
  specSchema: MeshCircuitBreakerSpecSchema,
  validate,
  readOnlyOnFederatedZone: false,
  systemOnly: false,
  description: 'Limits connections and requests and ejects failing endpoints (outlier detection).',
});
