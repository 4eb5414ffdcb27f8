/**
 * MeshLoadBalancingStrategy: the load-balancing algorithm, hashing, and zone locality
 * (prefer local endpoints, fail over across zones) for outbound traffic.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
import { field } from './common/field.js';
import { TOP_LEVEL_KINDS, validateTopRef } from './common/policy.js';
import { toList, topTargetRef } from './common/policy-schema.js';
import { closed, duration, enumOf, intOrString, percent, positiveInt, stringList } from './common/schema.js';
import { type TargetRef, type TargetRefKind, topLevelRef, validateTargetRef } from './common/target-ref.js';

const HashPolicySchema = closed(
  {
    type: enumOf(['Header', 'Cookie', 'Connection', 'SourceIP', 'QueryParameter', 'FilterState'], 'What to hash.'),
    terminal: Type.Optional(Type.Boolean({ description: 'Stop at this policy when it produces a hash.' })),
    header: Type.Optional(
      closed({ name: Type.String({ minLength: 1, description: 'Header name.' }) }, 'Hash a header.'),
    ),
    cookie: Type.Optional(
      closed(
        {
          name: Type.String({ minLength: 1, description: 'Cookie name.' }),
          ttl: Type.Optional(duration('Lifetime of a generated cookie.')),
          path: Type.Optional(Type.String({ description: 'Path of a generated cookie.' })),
        },
        'Hash a cookie.',
      ),
    ),
    connection: Type.Optional(
      closed({ sourceIP: Type.Optional(Type.Boolean({ description: 'Hash the source IP.' })) }, 'Hash the connection.'),
    ),
    queryParameter: Type.Optional(
      closed({ name: Type.String({ minLength: 1, description: 'Parameter name.' }) }, 'Hash a query parameter.'),
    ),
    filterState: Type.Optional(
      closed({ key: Type.String({ minLength: 1, description: 'Filter state key.' }) }, 'Hash a filter state object.'),
    ),
  },
  'How to compute the hash of a request.',
);
type HashPolicy = Static<typeof HashPolicySchema>;

const hashPolicies = (description: string) => Type.Optional(Type.Array(HashPolicySchema, { description }));

const ConfSchema = closed(
  {
    hashPolicies: hashPolicies('Hash policies for hash-based load balancers and for MeshHTTPRoute targets.'),
    loadBalancer: Type.Optional(
      closed(
        {
          type: enumOf(['RoundRobin', 'LeastRequest', 'RingHash', 'Random', 'Maglev'], 'The algorithm.'),
          roundRobin: Type.Optional(closed({}, 'Round robin settings.')),
          random: Type.Optional(closed({}, 'Random settings.')),
          leastRequest: Type.Optional(
            closed(
              {
                choiceCount: Type.Optional(
                  Type.Integer({ minimum: 2, description: 'Hosts sampled per pick; 2 when unset.' }),
                ),
                activeRequestBias: Type.Optional(
                  intOrString('decimal-nonnegative', 'How strongly active requests weigh against a host.'),
                ),
              },
              'Least request settings.',
            ),
          ),
          ringHash: Type.Optional(
            closed(
              {
                hashFunction: Type.Optional(enumOf(['XXHash', 'MurmurHash2'], 'Hash function.')),
                minRingSize: Type.Optional(
                  Type.Integer({ minimum: 1, maximum: 8_000_000, description: 'Minimum ring size.' }),
                ),
                maxRingSize: Type.Optional(
                  Type.Integer({ minimum: 1, maximum: 8_000_000, description: 'Maximum ring size.' }),
                ),
                hashPolicies: hashPolicies('Hash policies of the ring.'),
              },
              'Ring hash settings.',
            ),
          ),
          maglev: Type.Optional(
            closed(
              {
                tableSize: Type.Optional(
                  Type.Integer({ minimum: 1, maximum: 5_000_011, description: 'Lookup table size (a prime).' }),
                ),
                hashPolicies: hashPolicies('Hash policies of the table.'),
              },
              'Maglev settings.',
            ),
          ),
        },
        'The load-balancing algorithm.',
      ),
    ),
    localityAwareness: Type.Optional(
      closed(
        {
          disabled: Type.Optional(Type.Boolean({ description: 'Turns locality awareness off.' })),
          localZone: Type.Optional(
            closed(
              {
                affinityTags: Type.Optional(
                  Type.Array(
                    closed(
                      {
                        key: Type.String({ minLength: 1, description: 'Tag key to prefer matching values of.' }),
                        weight: Type.Optional(positiveInt('Relative weight; all or none of the tags have one.')),
                      },
                      'A tag whose matching endpoints are preferred.',
                    ),
                    { description: 'Tags to prefer within the local zone, most important first.' },
                  ),
                ),
              },
              'Preferences within the local zone.',
            ),
          ),
          crossZone: Type.Optional(
            closed(
              {
                failover: Type.Optional(
                  Type.Array(
                    closed(
                      {
                        from: Type.Optional(
                          closed({ zones: stringList('Zones this rule applies to.') }, 'Zones the rule applies from.'),
                        ),
                        to: closed(
                          {
                            type: enumOf(['None', 'Only', 'Any', 'AnyExcept'], 'Which zones to fail over to.'),
                            zones: Type.Optional(stringList('Zones for Only and AnyExcept.')),
                          },
                          'Zones to fail over to.',
                        ),
                      },
                      'A failover rule.',
                    ),
                    { description: 'Failover rules, applied in order.' },
                  ),
                ),
                failoverThreshold: Type.Optional(
                  closed(
                    { percentage: percent('Share of healthy local endpoints below which traffic fails over.') },
                    'When to fail over.',
                  ),
                ),
              },
              'Failover to other zones.',
            ),
          ),
        },
        'Zone locality of load balancing.',
      ),
    ),
  },
  'Load balancing configuration.',
);
type Conf = Static<typeof ConfSchema>;

/** Spec of a MeshLoadBalancingStrategy. */
export const MeshLoadBalancingStrategySpecSchema = closed(
  { targetRef: topTargetRef(), to: toList(ConfSchema) },
  'MeshLoadBalancingStrategy specification.',
);
export type MeshLoadBalancingStrategySpec = Static<typeof MeshLoadBalancingStrategySpecSchema>;

const HASH_FIELD: Readonly<Record<HashPolicy['type'], keyof HashPolicy>> = {
  Header: 'header',
  Cookie: 'cookie',
  Connection: 'connection',
  SourceIP: 'connection',
  QueryParameter: 'queryParameter',
  FilterState: 'filterState',
};

function validateHashPolicies(policies: readonly HashPolicy[] | undefined, at: string): Violation[] {
  const out: Violation[] = [];
  (policies ?? []).forEach((p, i) => {
    const sub = HASH_FIELD[p.type];
    if (p[sub] === undefined) out.push({ field: field(at, i, sub), reason: `must be set with type ${p.type}` });
    if (p.cookie?.path !== undefined && !p.cookie.path.startsWith('/')) {
      out.push({ field: field(at, i, 'cookie', 'path'), reason: 'must be an absolute path' });
    }
  });
  return out;
}

function validateLocality(conf: Conf, at: string, ref: TargetRef): Violation[] {
  const out: Violation[] = [];
  const la = conf.localityAwareness;
  const tags = la?.localZone?.affinityTags ?? [];
  const weighted = tags.filter((t) => t.weight !== undefined).length;
  if (weighted > 0 && weighted !== tags.length) {
    out.push({
      field: field(at, 'localityAwareness', 'localZone', 'affinityTags'),
      reason: 'all or none of the affinity tags must have a weight',
    });
  }
  const cz = la?.crossZone;
  if (cz === undefined) return out;
  const czAt = field(at, 'localityAwareness', 'crossZone');
  if (ref.kind === 'MeshService' && ((ref.sectionName ?? '') !== '' || Object.keys(ref.labels ?? {}).length > 0)) {
    out.push({ field: czAt, reason: 'must not be set for a MeshService selected by labels or sectionName' });
  }
  (cz.failover ?? []).forEach((f, i) => {
    const fAt = field(czAt, 'failover', i);
    if (f.from !== undefined) {
      if (f.from.zones.length === 0) out.push({ field: field(fAt, 'from', 'zones'), reason: 'must not be empty' });
      f.from.zones.forEach((z, j) => {
        if (z === '') out.push({ field: field(fAt, 'from', 'zones', j), reason: 'must not be empty' });
      });
    }
    const zones = f.to.zones ?? [];
    if ((f.to.type === 'Any' || f.to.type === 'None') && zones.length > 0) {
      out.push({ field: field(fAt, 'to', 'zones'), reason: `must be empty with type ${f.to.type}` });
    }
    if ((f.to.type === 'Only' || f.to.type === 'AnyExcept') && zones.length === 0) {
      out.push({ field: field(fAt, 'to', 'zones'), reason: `must not be empty with type ${f.to.type}` });
    }
  });
  return out;
}

function validateConf(conf: Conf, at: string, ref: TargetRef): Violation[] {
  const out = validateHashPolicies(conf.hashPolicies, field(at, 'hashPolicies'));
  if (ref.kind === 'MeshHTTPRoute') {
    for (const f of ['loadBalancer', 'localityAwareness'] as const) {
      if (conf[f] !== undefined) {
        out.push({ field: field(at, f), reason: 'must not be set when targeting a MeshHTTPRoute; only hashPolicies' });
      }
    }
    return out;
  }
  const lb = conf.loadBalancer;
  for (const algo of ['ringHash', 'maglev'] as const) {
    const nested = lb?.[algo]?.hashPolicies;
    if (nested === undefined) continue;
    out.push(...validateHashPolicies(nested, field(at, 'loadBalancer', algo, 'hashPolicies')));
    if (conf.hashPolicies !== undefined) {
      out.push({
        field: field(at, 'loadBalancer', algo, 'hashPolicies'),
        reason: 'must not be set together with the top-level hashPolicies',
      });
    }
  }
  out.push(...validateLocality(conf, at, ref));
  return out;
}

function toKinds(top: TargetRef, conf: Conf): readonly TargetRefKind[] {
  if (top.kind !== 'MeshGateway') return ['Mesh', 'MeshService', 'MeshMultiZoneService', 'MeshHTTPRoute'];
  return conf.loadBalancer !== undefined ? ['Mesh'] : ['Mesh', 'MeshService', 'MeshMultiZoneService'];
}

function validate(spec: MeshLoadBalancingStrategySpec): Violation[] {
  const top = topLevelRef(spec.targetRef);
  const out = [
    ...runChecks(MeshLoadBalancingStrategySpecSchema, spec, 'spec'),
    ...validateTopRef(spec.targetRef, TOP_LEVEL_KINDS, spec),
  ];
  if ((spec.to ?? []).length === 0) out.push({ field: 'spec.to', reason: 'must have at least one entry' });
  (spec.to ?? []).forEach((t, i) => {
    out.push(...validateTargetRef(t.targetRef, field('spec', 'to', i, 'targetRef'), toKinds(top, t.default)));
  });
  out.push(
    ...(spec.to ?? []).flatMap((t, i) => validateConf(t.default, field('spec', 'to', i, 'default'), t.targetRef)),
  );
  return out;
}

/** The MeshLoadBalancingStrategy policy type. */
export const meshLoadBalancingStrategyDescriptor: ResourceDescriptor<typeof MeshLoadBalancingStrategySpecSchema> =
  Object.freeze({
    name: 'MeshLoadBalancingStrategy',
    plural: 'meshloadbalancingstrategies',
    aliases: ['meshloadbalancingstrategy', 'mlbs'],
    scope: 'mesh',
    kds: 'both',
    isPolicy: true,
    specLayout: 'nested',
    specSchema: MeshLoadBalancingStrategySpecSchema,
    validate,
    readOnlyOnFederatedZone: false,
    systemOnly: false,
    description: 'Chooses the load-balancing algorithm, request hashing and zone locality for outbound traffic.',
  });
