/** MeshRetry: retries of failed outbound requests and connections, for TCP, HTTP and gRPC. */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
import { field } from './common/field.js';
import { HeaderMatchSchema, headerName, validateHeaderMatches } from './common/headers.js';
import { checkDefaults, TOP_LEVEL_KINDS, validateEntryRefs, validateTopRef } from './common/policy.js';
import { toList, topTargetRef } from './common/policy-schema.js';
import { closed, duration, enumOf, positiveInt, stringList, stringMap } from './common/schema.js';
import { type TargetRefKind, topLevelRef } from './common/target-ref.js';

/** Conditions an HTTP retry may be triggered by, besides any HTTP status code. */
const HTTP_RETRY_ON = [
  '5XX',
  'GatewayError',
  'Reset',
  'Retriable4xx',
  'ConnectFailure',
  'EnvoyRatelimited',
  'RefusedStream',
  'Http3PostConnectFailure',
  'HttpMethodConnect',
  'HttpMethodDelete',
  'HttpMethodGet',
  'HttpMethodHead',
  'HttpMethodOptions',
  'HttpMethodPatch',
  'HttpMethodPost',
  'HttpMethodPut',
  'HttpMethodTrace',
] as const;

const BackOffSchema = closed(
  {
    baseInterval: Type.Optional(duration('Base interval between retries; 25ms when unset.', 'duration-positive')),
    maxInterval: Type.Optional(duration('Maximum interval between retries.', 'duration-positive')),
  },
  'Exponential back-off between retries.',
);

const RateLimitedBackOffSchema = closed(
  {
    resetHeaders: Type.Optional(
      Type.Array(
        closed(
          {
            name: headerName('Response header carrying the back-off.'),
            format: enumOf(['Seconds', 'UnixTimestamp'], 'Format of the header value.'),
          },
          'A header telling how long to back off.',
        ),
        { description: 'Headers read from a rate-limited response.' },
      ),
    ),
    maxInterval: Type.Optional(duration('Maximum back-off; 300s when unset.', 'duration-positive')),
  },
  'Back-off driven by rate-limited responses.',
);

const ConfSchema = closed(
  {
    tcp: Type.Optional(
      closed(
        { maxConnectAttempt: Type.Optional(positiveInt('How many times to try connecting.')) },
        'TCP connection retries.',
      ),
    ),
    http: Type.Optional(
      closed(
        {
          numRetries: Type.Optional(Type.Integer({ minimum: 0, description: 'Number of retries; 1 when unset.' })),
          perTryTimeout: Type.Optional(duration('Timeout of each try.', 'duration-positive')),
          backOff: Type.Optional(BackOffSchema),
          rateLimitedBackOff: Type.Optional(RateLimitedBackOffSchema),
          retryOn: Type.Optional(
            stringList(`Conditions that trigger a retry: ${HTTP_RETRY_ON.join(', ')}, or an HTTP status code.`),
          ),
          retriableResponseHeaders: Type.Optional(
            Type.Array(HeaderMatchSchema, { description: 'Retry responses with these headers.' }),
          ),
          retriableRequestHeaders: Type.Optional(
            Type.Array(HeaderMatchSchema, { description: 'Only retry requests with these headers.' }),
          ),
          hostSelection: Type.Optional(
            Type.Array(
              closed(
                {
                  predicate: enumOf(
                    ['OmitPreviousHosts', 'OmitHostsWithTags', 'OmitPreviousPriorities'],
                    'Which hosts to avoid on retry.',
                  ),
                  tags: Type.Optional(stringMap('Hosts with these tags are avoided (OmitHostsWithTags).')),
                  updateFrequency: Type.Optional(
                    Type.Integer({ description: 'Attempts before priorities are recomputed; 2 when unset.' }),
                  ),
                },
                'A host selection predicate.',
              ),
              { description: 'How retries pick hosts.' },
            ),
          ),
          hostSelectionMaxAttempts: Type.Optional(
            Type.Integer({ minimum: 0, description: 'Attempts at picking a host that passes the predicates.' }),
          ),
        },
        'HTTP request retries.',
      ),
    ),
    grpc: Type.Optional(
      closed(
        {
          numRetries: Type.Optional(Type.Integer({ minimum: 0, description: 'Number of retries; 1 when unset.' })),
          perTryTimeout: Type.Optional(duration('Timeout of each try.', 'duration-positive')),
          backOff: Type.Optional(BackOffSchema),
          rateLimitedBackOff: Type.Optional(RateLimitedBackOffSchema),
          retryOn: Type.Optional(
            Type.Array(
              enumOf(
                ['Canceled', 'DeadlineExceeded', 'Internal', 'ResourceExhausted', 'Unavailable'],
                'A gRPC status.',
              ),
              { description: 'gRPC statuses that trigger a retry.' },
            ),
          ),
        },
        'gRPC request retries.',
      ),
    ),
  },
  'Retry configuration; at least one of tcp, http and grpc.',
);
type Conf = Static<typeof ConfSchema>;

/** Spec of a MeshRetry. */
export const MeshRetrySpecSchema = closed(
  { targetRef: topTargetRef(), to: toList(ConfSchema) },
  'MeshRetry specification.',
);
export type MeshRetrySpec = Static<typeof MeshRetrySpecSchema>;

const TOP_KINDS: readonly TargetRefKind[] = [...TOP_LEVEL_KINDS, 'MeshHTTPRoute'];
const TO_KINDS: readonly TargetRefKind[] = ['Mesh', 'MeshService', 'MeshExternalService', 'MeshMultiZoneService'];

function isStatusCode(text: string): boolean {
  return /^[1-5]\d\d$/.test(text);
}

function validateConf(conf: Conf, at: string): Violation[] {
  if (conf.tcp === undefined && conf.http === undefined && conf.grpc === undefined) {
    return [{ field: at, reason: 'must set at least one of tcp, http, grpc' }];
  }
  const out: Violation[] = [];
  if (conf.tcp !== undefined && conf.tcp.maxConnectAttempt === undefined) {
    out.push({ field: field(at, 'tcp'), reason: 'must set maxConnectAttempt' });
  }
  for (const proto of ['http', 'grpc'] as const) {
    const c = conf[proto];
    if (c === undefined) continue;
    if (Object.keys(c).length === 0) out.push({ field: field(at, proto), reason: 'must not be empty' });
    if (c.backOff !== undefined && c.backOff.baseInterval === undefined && c.backOff.maxInterval === undefined) {
      out.push({ field: field(at, proto, 'backOff'), reason: 'must set baseInterval or maxInterval' });
    }
    if (c.rateLimitedBackOff !== undefined && c.rateLimitedBackOff.resetHeaders === undefined) {
      out.push({ field: field(at, proto, 'rateLimitedBackOff', 'resetHeaders'), reason: 'must be set' });
    }
  }
  const http = conf.http;
  (http?.retryOn ?? []).forEach((cond, i) => {
    if (!(HTTP_RETRY_ON as readonly string[]).includes(cond) && !isStatusCode(cond)) {
      out.push({
        field: field(at, 'http', 'retryOn', i),
        reason: `must be one of ${HTTP_RETRY_ON.join(', ')} or an HTTP status code`,
      });
    }
  });
  out.push(
    ...validateHeaderMatches(http?.retriableRequestHeaders, field(at, 'http', 'retriableRequestHeaders')),
    ...validateHeaderMatches(http?.retriableResponseHeaders, field(at, 'http', 'retriableResponseHeaders')),
  );
  let prioritySeen = false;
  (http?.hostSelection ?? []).forEach((p, i) => {
    const pf = field(at, 'http', 'hostSelection', i);
    if (p.predicate === 'OmitHostsWithTags' && p.tags === undefined) {
      out.push({ field: field(pf, 'tags'), reason: 'must be set with predicate OmitHostsWithTags' });
    }
    if (p.predicate === 'OmitPreviousPriorities') {
      if (prioritySeen)
        out.push({ field: field(pf, 'predicate'), reason: 'OmitPreviousPriorities may appear only once' });
      if (p.updateFrequency !== undefined && p.updateFrequency <= 0) {
        out.push({ field: field(pf, 'updateFrequency'), reason: 'must be greater than zero' });
      }
      prioritySeen = true;
    }
  });
  return out;
}

function validate(spec: MeshRetrySpec): Violation[] {
  const top = topLevelRef(spec.targetRef);
  const routeOrGateway = top.kind === 'MeshHTTPRoute' || top.kind === 'MeshGateway';
  const out = [
    ...runChecks(MeshRetrySpecSchema, spec, 'spec'),
    ...validateTopRef(spec.targetRef, TOP_KINDS, spec),
    ...validateEntryRefs(spec.to, 'to', routeOrGateway ? ['Mesh', 'MeshExternalService'] : TO_KINDS),
    ...checkDefaults(spec, validateConf),
  ];
  if ((spec.to ?? []).length === 0) out.push({ field: 'spec.to', reason: 'must have at least one entry' });
  return out;
}

/** The MeshRetry policy type. */
export const meshRetryDescriptor: ResourceDescriptor<typeof MeshRetrySpecSchema> = Object.freeze({
  name: 'MeshRetry',
  plural: 'meshretries',
  aliases: ['meshretry', 'mr'],
  scope: 'mesh',
  kds: 'both',
  isPolicy: true,
  specLayout: 'nested',
  specSchema: MeshRetrySpecSchema,
  validate,
  readOnlyOnFederatedZone: false,
  systemOnly: false,
  description: 'Retries failed outbound TCP connections and HTTP and gRPC requests.',
});
