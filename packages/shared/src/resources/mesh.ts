/**
 * Mesh: an isolated service mesh, its mTLS CA backends and mesh-wide settings.
 * Legacy layout: the spec fields sit next to `type` and `name`.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { applyCheck, runChecks } from './common/checks.js';
import { DataSourceSchema, validateDataSource } from './common/data-source.js';
import { field } from './common/field.js';
import { PrometheusConfSchema } from './common/prometheus.js';
import { checkedString, closed, duration, enumOf, stringList, stringMap } from './common/schema.js';
import { validateTags } from './common/tags.js';

const CaBackendSchema = closed(
  {
    name: Type.String({ minLength: 1, description: 'Name of the backend, referenced by mtls.enabledBackend.' }),
    type: enumOf(['builtin', 'provided'], 'builtin: the control plane generates the CA; provided: you supply it.'),
    mode: Type.Optional(
      enumOf(['STRICT', 'PERMISSIVE'], 'STRICT refuses plaintext on inbounds; PERMISSIVE accepts it too.'),
    ),
    dpCert: Type.Optional(
      closed(
        {
          rotation: Type.Optional(
            closed(
              {
                expiration: Type.Optional(
                  checkedString('duration-days-positive', 'Lifetime of proxy certificates, e.g. 1d or 24h.'),
                ),
              },
              'Rotation of proxy certificates.',
            ),
          ),
          requestTimeout: Type.Optional(duration('Timeout of a certificate request to the CA.', 'duration-positive')),
        },
        'Proxy certificate settings.',
      ),
    ),
    rootChain: Type.Optional(
      closed(
        {
          requestTimeout: Type.Optional(duration('Timeout of a root chain request to the CA.', 'duration-positive')),
        },
        'Root chain settings.',
      ),
    ),
    conf: Type.Optional(
      closed(
        {
          caCert: Type.Optional(
            closed(
              {
                RSAbits: Type.Optional(Type.Integer({ minimum: 1, description: 'RSA key size of the generated CA.' })),
                rsaBits: Type.Optional(Type.Integer({ minimum: 1, description: 'Same as RSAbits (JSON name).' })),
                expiration: Type.Optional(
                  checkedString('duration-days-positive', 'Lifetime of the generated CA, e.g. 10y.'),
                ),
              },
              'The CA certificate the builtin backend generates.',
            ),
          ),
          cert: Type.Optional(DataSourceSchema),
          key: Type.Optional(DataSourceSchema),
        },
        'Backend configuration: caCert for builtin; cert and key for provided.',
      ),
    ),
  },
  'A certificate authority backend.',
);

const LoggingBackendSchema = closed(
  {
    name: Type.String({ minLength: 1, description: 'Name of the backend.' }),
    type: enumOf(['file', 'tcp'], 'Where access logs go.'),
    format: Type.Optional(Type.String({ description: 'Envoy access log format string.' })),
    conf: Type.Optional(
      closed(
        {
          path: Type.Optional(Type.String({ description: 'File path (type file).' })),
          address: Type.Optional(Type.String({ description: 'host:port of the collector (type tcp).' })),
        },
        'Backend configuration.',
      ),
    ),
  },
  'A legacy access log backend.',
);

const TracingBackendSchema = closed(
  {
    name: Type.String({ minLength: 1, description: 'Name of the backend.' }),
    type: enumOf(['zipkin', 'datadog'], 'Kind of tracing collector.'),
    sampling: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'Percentage of traces sent.' })),
    conf: Type.Optional(
      closed(
        {
          url: Type.Optional(Type.String({ description: 'Collector URL (zipkin).' })),
          apiVersion: Type.Optional(enumOf(['httpJson', 'httpJsonV1', 'httpProto'], 'Zipkin API version.')),
          traceId128bit: Type.Optional(Type.Boolean({ description: 'Generate 128-bit trace IDs.' })),
          sharedSpanContext: Type.Optional(Type.Boolean({ description: 'Client and server spans share a context.' })),
          address: Type.Optional(Type.String({ description: 'Collector address (datadog).' })),
          port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'Collector port (datadog).' })),
          splitService: Type.Optional(Type.Boolean({ description: 'Split Datadog service names by direction.' })),
        },
        'Backend configuration.',
      ),
    ),
  },
  'A legacy tracing backend.',
);

const MeshMetricsBackendSchema = closed(
  {
    name: Type.String({ minLength: 1, description: 'Name of the backend.' }),
    type: enumOf(['prometheus'], 'Type of the backend.'),
    conf: Type.Optional(PrometheusConfSchema),
  },
  'A legacy metrics backend.',
);

const TagRuleSchema = closed(
  { tags: Type.Optional(stringMap('Required tags; "*" as a value requires a non-empty value.')) },
  'A set of tags a proxy must (requirements) or must not (restrictions) have.',
);

/** Spec of a Mesh (universal form, inline). */
export const MeshSpecSchema = closed(
  {
    mtls: Type.Optional(
      closed(
        {
          enabledBackend: Type.Optional(
            Type.String({ description: 'Name of the active CA backend; mTLS is off when unset.' }),
          ),
          backends: Type.Optional(Type.Array(CaBackendSchema, { description: 'Available CA backends.' })),
          skipValidation: Type.Optional(Type.Boolean({ description: 'Skip validating a provided CA.' })),
        },
        'Mutual TLS between the proxies of this mesh.',
      ),
    ),
    logging: Type.Optional(
      closed(
        {
          defaultBackend: Type.Optional(Type.String({ description: 'Name of the default logging backend.' })),
          backends: Type.Optional(Type.Array(LoggingBackendSchema, { description: 'Logging backends.' })),
        },
        'Legacy access logging settings (superseded by MeshAccessLog).',
      ),
    ),
    tracing: Type.Optional(
      closed(
        {
          defaultBackend: Type.Optional(Type.String({ description: 'Name of the default tracing backend.' })),
          backends: Type.Optional(Type.Array(TracingBackendSchema, { description: 'Tracing backends.' })),
        },
        'Legacy tracing settings (superseded by MeshTrace).',
      ),
    ),
    metrics: Type.Optional(
      closed(
        {
          enabledBackend: Type.Optional(Type.String({ description: 'Name of the enabled metrics backend.' })),
          backends: Type.Optional(Type.Array(MeshMetricsBackendSchema, { description: 'Metrics backends.' })),
        },
        'Legacy metrics settings (superseded by MeshMetric).',
      ),
    ),
    networking: Type.Optional(
      closed(
        {
          outbound: Type.Optional(
            closed(
              {
                passthrough: Type.Optional(
                  Type.Boolean({ description: 'Let traffic to unknown destinations pass through; true when unset.' }),
                ),
              },
              'Outbound settings.',
            ),
          ),
        },
        'Networking settings of the mesh.',
      ),
    ),
    routing: Type.Optional(
      closed(
        {
          localityAwareLoadBalancing: Type.Optional(
            Type.Boolean({ description: 'Prefer endpoints in the same zone.' }),
          ),
          zoneEgress: Type.Optional(
            Type.Boolean({ description: 'Route cross-zone and external traffic via ZoneEgress.' }),
          ),
          defaultForbidMeshExternalServiceAccess: Type.Optional(
            Type.Boolean({ description: 'Block traffic to MeshExternalServices unless allowed.' }),
          ),
        },
        'Routing settings of the mesh.',
      ),
    ),
    constraints: Type.Optional(
      closed(
        {
          dataplaneProxy: Type.Optional(
            closed(
              {
                requirements: Type.Optional(
                  Type.Array(TagRuleSchema, { description: 'A proxy must match one of these to join.' }),
                ),
                restrictions: Type.Optional(
                  Type.Array(TagRuleSchema, { description: 'A proxy matching any of these may not join.' }),
                ),
              },
              'Which data plane proxies may join the mesh.',
            ),
          ),
        },
        'Constraints on the members of the mesh.',
      ),
    ),
    skipCreatingInitialPolicies: Type.Optional(
      stringList('Default policies not to create with the mesh: policy type names, or "*" for all.'),
    ),
    meshServices: Type.Optional(
      closed(
        {
          mode: Type.Optional(
            enumOf(['Disabled', 'Everywhere', 'ReachableBackends', 'Exclusive'], 'How MeshService resources are used.'),
          ),
        },
        'MeshService settings.',
      ),
    ),
  },
  'Mesh specification.',
);
export type MeshSpec = Static<typeof MeshSpecSchema>;

/** Backend names must be unique and the default/enabled backend must name one of them. */
function validateNamedBackends(
  backends: readonly { readonly name: string }[] | undefined,
  at: string,
  selected: string | undefined,
  selectedField: string,
): Violation[] {
  const out: Violation[] = [];
  const names = new Set<string>();
  (backends ?? []).forEach((b, i) => {
    if (names.has(b.name)) {
      out.push({ field: field(at, 'backends', i, 'name'), reason: `"${b.name}" is already used by another backend` });
    }
    names.add(b.name);
  });
  if (selected !== undefined && selected !== '' && !names.has(selected)) {
    out.push({ field: field(at, selectedField), reason: `must name one of the backends in ${at}.backends` });
  }
  return out;
}

function validateMtls(mtls: NonNullable<MeshSpec['mtls']>): Violation[] {
  const out = validateNamedBackends(mtls.backends, 'mtls', mtls.enabledBackend, 'enabledBackend');
  (mtls.backends ?? []).forEach((b, i) => {
    const conf = field('mtls', 'backends', i, 'conf');
    if (b.conf?.caCert?.RSAbits !== undefined && b.conf.caCert.rsaBits !== undefined) {
      out.push({ field: field(conf, 'caCert', 'rsaBits'), reason: 'must not be set together with RSAbits' });
    }
    if (b.type === 'builtin') {
      if (b.conf?.cert !== undefined)
        out.push({ field: field(conf, 'cert'), reason: 'must not be set with type builtin' });
      if (b.conf?.key !== undefined)
        out.push({ field: field(conf, 'key'), reason: 'must not be set with type builtin' });
    } else {
      if (b.conf?.caCert !== undefined) {
        out.push({ field: field(conf, 'caCert'), reason: 'must not be set with type provided' });
      }
      for (const part of ['cert', 'key'] as const) {
        const ds = b.conf?.[part];
        if (ds === undefined) out.push({ field: field(conf, part), reason: 'must be set with type provided' });
        else out.push(...validateDataSource(ds, field(conf, part)));
      }
    }
  });
  return out;
}

function validateLogging(logging: NonNullable<MeshSpec['logging']>): Violation[] {
  const out = validateNamedBackends(logging.backends, 'logging', logging.defaultBackend, 'defaultBackend');
  (logging.backends ?? []).forEach((b, i) => {
    const conf = field('logging', 'backends', i, 'conf');
    if (b.type === 'file' && (b.conf?.path ?? '') === '') {
      out.push({ field: field(conf, 'path'), reason: 'must be set with type file' });
    }
    if (b.type === 'tcp') {
      const address = b.conf?.address ?? '';
      if (address === '') out.push({ field: field(conf, 'address'), reason: 'must be set with type tcp' });
      else {
        const reason = applyCheck('host-port', address);
        if (reason !== undefined) out.push({ field: field(conf, 'address'), reason });
      }
    }
  });
  return out;
}

function validateTracing(tracing: NonNullable<MeshSpec['tracing']>): Violation[] {
  const out = validateNamedBackends(tracing.backends, 'tracing', tracing.defaultBackend, 'defaultBackend');
  (tracing.backends ?? []).forEach((b, i) => {
    const conf = field('tracing', 'backends', i, 'conf');
    if (b.type === 'zipkin') {
      const url = b.conf?.url ?? '';
      if (url === '') out.push({ field: field(conf, 'url'), reason: 'must be set with type zipkin' });
      else if (!URL.canParse(url) || new URL(url).port === '') {
        out.push({ field: field(conf, 'url'), reason: 'must be a URL with an explicit port' });
      }
    }
    if (b.type === 'datadog' && (b.conf?.address ?? '') === '') {
      out.push({ field: field(conf, 'address'), reason: 'must be set with type datadog' });
    }
  });
  return out;
}

function validateMesh(spec: MeshSpec): Violation[] {
  const out = runChecks(MeshSpecSchema, spec);
  if (spec.mtls !== undefined) out.push(...validateMtls(spec.mtls));
  if (spec.logging !== undefined) out.push(...validateLogging(spec.logging));
  if (spec.tracing !== undefined) out.push(...validateTracing(spec.tracing));
  if (spec.metrics !== undefined) {
    out.push(...validateNamedBackends(spec.metrics.backends, 'metrics', spec.metrics.enabledBackend, 'enabledBackend'));
  }
  const proxy = spec.constraints?.dataplaneProxy;
  for (const list of ['requirements', 'restrictions'] as const) {
    (proxy?.[list] ?? []).forEach((rule, i) => {
      out.push(...validateTags(rule.tags, field('constraints', 'dataplaneProxy', list, i, 'tags'), { selector: true }));
    });
  }
  return out;
}

/** The Mesh resource type. */
export const meshDescriptor: ResourceDescriptor<typeof MeshSpecSchema> = Object.freeze({
  name: 'Mesh',
  plural: 'meshes',
  aliases: ['mesh'],
  scope: 'global',
  kds: 'global-to-zone',
  isPolicy: false,
  specLayout: 'inline',
  specSchema: MeshSpecSchema,
  validate: validateMesh,
  readOnlyOnFederatedZone: true,
  systemOnly: false,
  description: 'An isolated service mesh: its mTLS certificate authorities and mesh-wide settings.',
});
