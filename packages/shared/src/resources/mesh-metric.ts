/** MeshMetric: which metrics the selected proxies expose, and to which backends. */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
import { ConditionsStatusSchema } from './common/conditions.js';
import { field } from './common/field.js';
import { TOP_LEVEL_KINDS, validateTopRef } from './common/policy.js';
import { topTargetRef } from './common/policy-schema.js';
import { closed, duration, enumOf, port, stringMap } from './common/schema.js';

const SelectorSchema = closed(
  {
    type: enumOf(['Prefix', 'Regex', 'Exact', 'Contains'], 'How match is compared with metric names.'),
    match: Type.String({ description: 'Prefix, regular expression, exact name or substring.' }),
  },
  'Selects metrics by name.',
);

const BackendSchema = closed(
  {
    type: enumOf(['Prometheus', 'OpenTelemetry'], 'Kind of backend; its settings go in prometheus or openTelemetry.'),
    prometheus: Type.Optional(
      closed(
        {
          clientId: Type.Optional(Type.String({ description: 'Identifies the Prometheus scraping this endpoint.' })),
          port: Type.Optional(port('Port of the metrics endpoint; 5670 when unset.')),
          path: Type.Optional(Type.String({ description: 'Path of the metrics endpoint; /metrics when unset.' })),
          tls: Type.Optional(
            closed(
              {
                mode: Type.Optional(
                  enumOf(['Disabled', 'ProvidedTLS', 'ActiveMTLSBackend'], 'How the endpoint is secured.'),
                ),
              },
              'TLS of the metrics endpoint.',
            ),
          ),
        },
        'Exposes metrics for Prometheus to scrape.',
      ),
    ),
    openTelemetry: Type.Optional(
      closed(
        {
          endpoint: Type.Optional(Type.String({ description: 'OTLP collector address, host:port without scheme.' })),
          backendRef: Type.Optional(
            closed(
              {
                kind: enumOf(['MeshOpenTelemetryBackend'], 'Kind of the referenced backend.'),
                labels: Type.Optional(stringMap('Selects the backend by labels.')),
              },
              'A MeshOpenTelemetryBackend to push to.',
            ),
          ),
          refreshInterval: Type.Optional(duration('How often metrics are pushed; 1m when unset.', 'duration-positive')),
        },
        'Pushes metrics to an OpenTelemetry collector.',
      ),
    ),
  },
  'A metrics backend.',
);

/** Spec of a MeshMetric. */
export const MeshMetricSpecSchema = closed(
  {
    targetRef: topTargetRef(),
    default: Type.Optional(
      closed(
        {
          sidecar: Type.Optional(
            closed(
              {
                includeUnused: Type.Optional(Type.Boolean({ description: 'Also expose metrics never updated.' })),
                profiles: Type.Optional(
                  closed(
                    {
                      appendProfiles: Type.Optional(
                        Type.Array(closed({ name: enumOf(['All', 'Basic', 'None'], 'Profile name.') }, 'A profile.'), {
                          description: 'Predefined sets of Envoy metrics.',
                        }),
                      ),
                      include: Type.Optional(Type.Array(SelectorSchema, { description: 'Metrics added.' })),
                      exclude: Type.Optional(Type.Array(SelectorSchema, { description: 'Metrics removed.' })),
                    },
                    'Which Envoy metrics are exposed.',
                  ),
                ),
              },
              'Metrics of the sidecar.',
            ),
          ),
          applications: Type.Optional(
            Type.Array(
              closed(
                {
                  name: Type.Optional(Type.String({ description: 'Name of the application.' })),
                  path: Type.Optional(
                    Type.String({ description: 'Path of its metrics endpoint; /metrics when unset.' }),
                  ),
                  port: port('Port of its metrics endpoint.'),
                  address: Type.Optional(Type.String({ description: 'Address of its metrics endpoint.' })),
                },
                'An application whose metrics the proxy scrapes and exposes.',
              ),
              { description: 'Applications to scrape.' },
            ),
          ),
          backends: Type.Optional(Type.Array(BackendSchema, { description: 'Where metrics go.' })),
        },
        'Metrics configuration.',
      ),
    ),
  },
  'MeshMetric specification.',
);
export type MeshMetricSpec = Static<typeof MeshMetricSpecSchema>;

function validate(spec: MeshMetricSpec): Violation[] {
  const out = [
    ...runChecks(MeshMetricSpecSchema, spec, 'spec'),
    ...validateTopRef(spec.targetRef, TOP_LEVEL_KINDS, {}),
  ];
  const conf = spec.default;
  const profiles = conf?.sidecar?.profiles;
  for (const list of ['include', 'exclude'] as const) {
    (profiles?.[list] ?? []).forEach((s, i) => {
      if (s.type !== 'Regex') return;
      try {
        new RegExp(s.match);
      } catch {
        out.push({
          field: field('spec', 'default', 'sidecar', 'profiles', list, i, 'match'),
          reason: 'must be a valid regular expression',
        });
      }
    });
  }
  (conf?.backends ?? []).forEach((b, i) => {
    const at = field('spec', 'default', 'backends', i);
    const sub = b.type === 'Prometheus' ? 'prometheus' : 'openTelemetry';
    if (b[sub] === undefined) out.push({ field: field(at, sub), reason: `must be set with type ${b.type}` });
    const endpoint = b.openTelemetry?.endpoint;
    if (endpoint !== undefined && /^https?:\/\//.test(endpoint)) {
      out.push({ field: field(at, 'openTelemetry', 'endpoint'), reason: 'must not have a scheme (use host:port)' });
    }
  });
  return out;
}

/** The MeshMetric policy type. */
export const meshMetricDescriptor: ResourceDescriptor<typeof MeshMetricSpecSchema> = Object.freeze({
  name: 'MeshMetric',
  plural: 'meshmetrics',
  aliases: ['meshmetric', 'mm'],
  scope: 'mesh',
  kds: 'both',
  isPolicy: true,
  specLayout: 'nested',
  specSchema: MeshMetricSpecSchema,
  statusSchema: ConditionsStatusSchema,
  validate,
  readOnlyOnFederatedZone: false,
  systemOnly: false,
  description: 'Chooses the metrics the selected proxies expose and where they go (Prometheus, OpenTelemetry).',
});
