/** MeshTrace: distributed tracing of the selected proxies to Zipkin, Datadog or OpenTelemetry. */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
import { ConditionsStatusSchema } from './common/conditions.js';
import { field } from './common/field.js';
import { TOP_LEVEL_KINDS, validateTopRef } from './common/policy.js';
import { topTargetRef } from './common/policy-schema.js';
import { closed, enumOf, percent, stringMap } from './common/schema.js';

const BackendSchema = closed(
  {
    type: enumOf(
      ['Zipkin', 'Datadog', 'OpenTelemetry'],
      'Kind of collector; its settings go in the field of that name.',
    ),
    zipkin: Type.Optional(
      closed(
        {
          url: Type.String({ description: 'Collector URL, e.g. http://zipkin:9411/api/v2/spans.' }),
          traceId128bit: Type.Optional(Type.Boolean({ description: 'Generate 128-bit trace IDs.' })),
          apiVersion: Type.Optional(enumOf(['httpJson', 'httpProto'], 'Zipkin API version; httpJson when unset.')),
          sharedSpanContext: Type.Optional(Type.Boolean({ description: 'Client and server spans share a context.' })),
        },
        'Zipkin collector.',
      ),
    ),
    datadog: Type.Optional(
      closed(
        {
          url: Type.String({ description: 'Agent URL, http://host:port.' }),
          splitService: Type.Optional(Type.Boolean({ description: 'Split service names by direction.' })),
        },
        'Datadog agent.',
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
        },
        'OpenTelemetry collector.',
      ),
    ),
  },
  'A tracing backend.',
);

/** Spec of a MeshTrace. */
export const MeshTraceSpecSchema = closed(
  {
    targetRef: topTargetRef(),
    default: Type.Optional(
      closed(
        {
          backends: Type.Optional(
            Type.Array(BackendSchema, { maxItems: 1, description: 'The collector (at most one).' }),
          ),
          sampling: Type.Optional(
            closed(
              {
                overall: Type.Optional(percent('Share of all requests traced; 100 when unset.')),
                client: Type.Optional(percent('Share of requests traced when the client asked for tracing.')),
                random: Type.Optional(percent('Share of requests traced at random.')),
              },
              'Sampling rates.',
            ),
          ),
          tags: Type.Optional(
            Type.Array(
              closed(
                {
                  name: Type.String({ description: 'Tag name.' }),
                  literal: Type.Optional(Type.String({ description: 'A fixed value.' })),
                  header: Type.Optional(
                    closed(
                      {
                        name: Type.String({ description: 'Header to read the value from.' }),
                        default: Type.Optional(Type.String({ description: 'Value when the header is missing.' })),
                      },
                      'Value from a request header.',
                    ),
                  ),
                },
                'A custom span tag: a literal or a header value.',
              ),
              { description: 'Custom tags added to spans.' },
            ),
          ),
        },
        'Tracing configuration.',
      ),
    ),
  },
  'MeshTrace specification.',
);
export type MeshTraceSpec = Static<typeof MeshTraceSpecSchema>;

function validateDatadogUrl(url: string, at: string): Violation[] {
  if (!URL.canParse(url)) return [{ field: at, reason: 'must be a URL' }];
  const u = new URL(url);
  if (u.protocol !== 'http:') return [{ field: at, reason: 'must use the http scheme' }];
  if (u.port === '') return [{ field: at, reason: 'must have an explicit port' }];
  if (u.pathname !== '/' || u.search !== '' || u.hash !== '' || u.username !== '') {
    return [{ field: at, reason: 'must not have a path, query, fragment or user' }];
  }
  return [];
}

function validate(spec: MeshTraceSpec): Violation[] {
  const out = [...runChecks(MeshTraceSpecSchema, spec, 'spec'), ...validateTopRef(spec.targetRef, TOP_LEVEL_KINDS, {})];
  const conf = spec.default ?? {};
  if (conf.backends === undefined) out.push({ field: 'spec.default.backends', reason: 'must be set' });
  conf.backends?.forEach((b, i) => {
    const at = field('spec', 'default', 'backends', i);
    const sub = ({ Zipkin: 'zipkin', Datadog: 'datadog', OpenTelemetry: 'openTelemetry' } as const)[b.type];
    if (b[sub] === undefined) {
      out.push({ field: field(at, sub), reason: `must be set with type ${b.type}` });
      return;
    }
    if (b.zipkin !== undefined && !URL.canParse(b.zipkin.url)) {
      out.push({ field: field(at, 'zipkin', 'url'), reason: 'must be a URL' });
    }
    if (b.datadog !== undefined) out.push(...validateDatadogUrl(b.datadog.url, field(at, 'datadog', 'url')));
  });
  (conf.tags ?? []).forEach((t, i) => {
    const at = field('spec', 'default', 'tags', i);
    if (t.name === '') out.push({ field: field(at, 'name'), reason: 'must not be empty' });
    if ((t.literal === undefined) === (t.header === undefined)) {
      out.push({ field: at, reason: 'must set exactly one of literal, header' });
    }
  });
  return out;
}

/** The MeshTrace policy type. */
export const meshTraceDescriptor: ResourceDescriptor<typeof MeshTraceSpecSchema> = Object.freeze({
  name: 'MeshTrace',
  plural: 'meshtraces',
  aliases: ['meshtrace', 'mtr'],
  scope: 'mesh',
  kds: 'both',
  isPolicy: true,
  specLayout: 'nested',
  specSchema: MeshTraceSpecSchema,
  statusSchema: ConditionsStatusSchema,
  validate,
  readOnlyOnFederatedZone: false,
  systemOnly: false,
  description: 'Traces requests through the selected proxies to a Zipkin, Datadog or OpenTelemetry collector.',
});
