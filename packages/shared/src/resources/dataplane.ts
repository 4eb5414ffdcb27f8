/**
 * Dataplane: one data plane proxy (a sidecar or a gateway), its inbounds, outbounds and
 * networking. Legacy layout: the spec fields sit next to `type`, `mesh` and `name`.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
import { field } from './common/field.js';
import { PrometheusConfSchema } from './common/prometheus.js';
import { checkedString, closed, duration, enumOf, port, positiveInt, stringList, stringMap } from './common/schema.js';
import { PROTOCOL_TAG, validateTags } from './common/tags.js';

/** Kinds a Dataplane outbound or reachable backend may reference. */
const BACKEND_KINDS = ['MeshService', 'MeshExternalService', 'MeshMultiZoneService'] as const;

const InboundSchema = closed(
  {
    port: port('Port of the inbound: where the service listens with transparent proxying, else where Envoy binds.'),
    servicePort: Type.Optional(port('Port of the service that requests are forwarded to; port when unset.')),
    serviceAddress: Type.Optional(
      checkedString('ip', 'Address of the service that requests are forwarded to; address when unset.'),
    ),
    address: Type.Optional(checkedString('ip', 'Address of the inbound listener; networking.address when unset.')),
    name: Type.Optional(Type.String({ description: 'Name of the inbound, usable as a sectionName.' })),
    protocol: Type.Optional(Type.String({ description: 'Protocol of the service (tcp, http, grpc, …).' })),
    tags: stringMap('Tags of the service this inbound implements; kuma.io/service is required.'),
    health: Type.Optional(
      closed(
        { ready: Type.Optional(Type.Boolean({ description: 'Whether the inbound is ready to serve traffic.' })) },
        'Health of the inbound; healthy when unset.',
      ),
    ),
    serviceProbe: Type.Optional(
      closed(
        {
          interval: Type.Optional(duration('Time between checks.', 'duration-positive')),
          timeout: Type.Optional(duration('Time to wait for a check.', 'duration-positive')),
          healthyThreshold: Type.Optional(positiveInt('Consecutive successes to become healthy.')),
          unhealthyThreshold: Type.Optional(positiveInt('Consecutive failures to become unhealthy.')),
          tcp: Type.Optional(closed({}, 'Probe by opening a TCP connection.')),
        },
        'Health-checks the service next to the proxy.',
      ),
    ),
    state: Type.Optional(enumOf(['Ready', 'NotReady', 'Ignored'], 'Current state of the inbound.')),
  },
  'A service implemented by this proxy.',
);

const BackendRefSchema = closed(
  {
    kind: enumOf(BACKEND_KINDS, 'Kind of the referenced service.'),
    name: Type.Optional(Type.String({ description: 'Name of the referenced service.' })),
    labels: Type.Optional(stringMap('Selects the service by labels instead of by name.')),
    port: Type.Optional(port('Port of the referenced service; required except for MeshExternalService.')),
  },
  'A reference to a MeshService, MeshExternalService or MeshMultiZoneService.',
);

const OutboundSchema = closed(
  {
    port: port('Port on which the consumed service is available to this proxy.'),
    address: Type.Optional(checkedString('ip', 'Address on which the service is available; 127.0.0.1 when unset.')),
    tags: Type.Optional(
      stringMap('Tags of the consumed service; kuma.io/service is required unless backendRef is set.'),
    ),
    backendRef: Type.Optional(BackendRefSchema),
  },
  'A service consumed by this proxy.',
);

const ReachableBackendRefSchema = closed(
  {
    kind: enumOf(BACKEND_KINDS, 'Kind of the backend.'),
    name: Type.Optional(Type.String({ description: 'Name of the backend.' })),
    namespace: Type.Optional(Type.String({ description: 'Namespace of the backend (Kubernetes zones).' })),
    labels: Type.Optional(stringMap('Selects backends by labels.')),
    port: Type.Optional(port('Port of the backend.')),
  },
  'A backend reachable through the transparent proxy.',
);

/** Spec of a Dataplane (universal form, inline). */
export const DataplaneSpecSchema = closed(
  {
    networking: closed(
      {
        address: checkedString(
          'address',
          'IP or DNS name at which other proxies and the control plane reach this proxy.',
        ),
        advertisedAddress: Type.Optional(
          checkedString('address', 'Routable address other proxies use when address is private (e.g. behind NAT).'),
        ),
        inbound: Type.Optional(Type.Array(InboundSchema, { description: 'Services this proxy implements.' })),
        outbound: Type.Optional(Type.Array(OutboundSchema, { description: 'Services this proxy consumes.' })),
        gateway: Type.Optional(
          closed(
            {
              tags: stringMap('Tags of the gateway; kuma.io/service is required.'),
              type: Type.Optional(enumOf(['DELEGATED', 'BUILTIN'], 'Gateway type; DELEGATED when unset.')),
            },
            'Makes this proxy a gateway.',
          ),
        ),
        listeners: Type.Optional(
          Type.Array(
            closed(
              {
                type: enumOf(['ZoneIngress', 'ZoneEgress'], 'Role of the listener.'),
                address: Type.Optional(checkedString('ip', 'Address of the listener.')),
                port: port('Port of the listener.'),
                name: Type.Optional(Type.String({ description: 'Name of the listener; the port when unset.' })),
                state: Type.Optional(enumOf(['Ready', 'NotReady'], 'Current state of the listener.')),
              },
              'A zone proxy listener embedded in this Dataplane.',
            ),
            { description: 'Zone proxy listeners.' },
          ),
        ),
        transparentProxying: Type.Optional(
          closed(
            {
              redirectPortInbound: Type.Optional(port('Port receiving all redirected inbound traffic.')),
              redirectPortOutbound: Type.Optional(port('Port receiving all redirected outbound traffic.')),
              directAccessServices: Type.Optional(stringList('Services reached directly by IP:port; "*" for all.')),
              reachableServices: Type.Optional(stringList('kuma.io/service values reachable; all when unset.')),
              reachableBackends: Type.Optional(
                closed(
                  {
                    refs: Type.Optional(Type.Array(ReachableBackendRefSchema, { description: 'Reachable backends.' })),
                  },
                  'Backends reachable through the transparent proxy; all when unset.',
                ),
              ),
              ipFamilyMode: Type.Optional(enumOf(['IPv4', 'DualStack'], 'IP families redirected.')),
            },
            'Transparent proxying settings.',
          ),
        ),
        admin: Type.Optional(
          closed({ port: Type.Optional(port('Port of the Envoy admin API (on loopback).')) }, 'Envoy admin API.'),
        ),
      },
      'Inbound and outbound interfaces of the proxy.',
    ),
    metrics: Type.Optional(
      closed(
        {
          name: Type.Optional(Type.String({ description: 'Name of the backend.' })),
          type: enumOf(['prometheus'], 'Type of the backend.'),
          conf: Type.Optional(PrometheusConfSchema),
        },
        'Metrics settings overriding the mesh defaults for this proxy.',
      ),
    ),
    probes: Type.Optional(
      closed(
        {
          port: port('Port on which probe endpoints are exposed without mTLS.'),
          endpoints: Type.Optional(
            Type.Array(
              closed(
                {
                  inboundPort: port('Application port the endpoint comes from.'),
                  inboundPath: checkedString('absolute-path', 'Application path the endpoint comes from.'),
                  path: checkedString('absolute-path', 'Path on the probes port.'),
                },
                'An application endpoint exposed on the probes port.',
              ),
              { description: 'Endpoints to expose.' },
            ),
          ),
        },
        'Application health endpoints exposed without mTLS (deprecated in Kuma).',
      ),
    ),
  },
  'Dataplane specification.',
);
export type DataplaneSpec = Static<typeof DataplaneSpecSchema>;
type Networking = DataplaneSpec['networking'];

function validateInbounds(net: Networking): Violation[] {
  const out: Violation[] = [];
  (net.inbound ?? []).forEach((inbound, i) => {
    const at = field('networking', 'inbound', i);
    out.push(...validateTags(inbound.tags, field(at, 'tags'), { requireService: true, checkProtocol: true }));
    const address = inbound.address ?? net.address;
    const serviceAddress = inbound.serviceAddress ?? address;
    const servicePort = inbound.servicePort ?? inbound.port;
    if (inbound.serviceAddress !== undefined && serviceAddress === address && servicePort === inbound.port) {
      out.push({
        field: field(at, 'serviceAddress'),
        reason: 'serviceAddress and servicePort must differ from address and port',
      });
    }
  });
  return out;
}

function validateOutbounds(net: Networking): Violation[] {
  const out: Violation[] = [];
  (net.outbound ?? []).forEach((outbound, i) => {
    const at = field('networking', 'outbound', i);
    const ref = outbound.backendRef;
    if (ref !== undefined) {
      if (outbound.tags !== undefined) {
        out.push({ field: field(at, 'backendRef'), reason: 'must not be set together with tags' });
      }
      if ((ref.name ?? '') === '' && Object.keys(ref.labels ?? {}).length === 0) {
        out.push({ field: field(at, 'backendRef'), reason: 'must set name or labels' });
      }
      if (ref.kind !== 'MeshExternalService' && ref.port === undefined) {
        out.push({ field: field(at, 'backendRef', 'port'), reason: `must be set with kind ${ref.kind}` });
      }
    } else {
      out.push(...validateTags(outbound.tags, field(at, 'tags'), { requireService: true }));
    }
  });
  return out;
}

function validateTransparentProxying(net: Networking): Violation[] {
  const out: Violation[] = [];
  (net.transparentProxying?.reachableBackends?.refs ?? []).forEach((ref, i) => {
    const at = field('networking', 'transparentProxying', 'reachableBackends', 'refs', i);
    const named = (ref.name ?? '') !== '' || (ref.namespace ?? '') !== '';
    const labelled = Object.keys(ref.labels ?? {}).length > 0;
    if (!named && !labelled) out.push({ field: field(at, 'name'), reason: 'must set name or labels' });
    if (named && labelled) out.push({ field: field(at, 'labels'), reason: 'must not be set together with name' });
    if ((ref.name ?? '') === '' && (ref.namespace ?? '') !== '') {
      out.push({ field: field(at, 'name'), reason: 'must be set when namespace is set' });
    }
  });
  return out;
}

function validateDataplane(spec: DataplaneSpec): Violation[] {
  const out = runChecks(DataplaneSpecSchema, spec);
  const net = spec.networking;
  if (net.address === '0.0.0.0' || net.address === '::') {
    out.push({ field: 'networking.address', reason: 'must not be 0.0.0.0 or ::' });
  }
  const inbounds = net.inbound ?? [];
  if (net.gateway !== undefined) {
    out.push(...validateTags(net.gateway.tags, 'networking.gateway.tags', { requireService: true, selector: false }));
    const protocol = net.gateway.tags[PROTOCOL_TAG];
    if (protocol !== undefined && protocol !== 'tcp') {
      out.push({ field: `networking.gateway.tags["${PROTOCOL_TAG}"]`, reason: 'must be tcp for a gateway' });
    }
    if (inbounds.length > 0) out.push({ field: 'networking.inbound', reason: 'must not be set for a gateway' });
    if (net.gateway.type === 'BUILTIN') {
      if ((net.outbound ?? []).length > 0) {
        out.push({ field: 'networking.outbound', reason: 'must not be set for a builtin gateway' });
      }
      if (spec.probes !== undefined) out.push({ field: 'probes', reason: 'must not be set for a builtin gateway' });
    }
  } else if (inbounds.length === 0 && (net.listeners ?? []).length === 0) {
    out.push({ field: 'networking.inbound', reason: 'must have at least one inbound, unless the proxy is a gateway' });
  }
  out.push(...validateInbounds(net), ...validateOutbounds(net), ...validateTransparentProxying(net));
  const adminPort = net.admin?.port;
  if (adminPort !== undefined) {
    if (inbounds.some((i) => i.port === adminPort)) {
      out.push({ field: 'networking.admin.port', reason: 'must differ from the inbound ports' });
    }
    if ((net.outbound ?? []).some((o) => o.port === adminPort)) {
      out.push({ field: 'networking.admin.port', reason: 'must differ from the outbound ports' });
    }
  }
  return out;
}

/** The Dataplane resource type. */
export const dataplaneDescriptor: ResourceDescriptor<typeof DataplaneSpecSchema> = Object.freeze({
  name: 'Dataplane',
  plural: 'dataplanes',
  aliases: ['dataplane', 'dp'],
  scope: 'mesh',
  kds: 'zone-to-global',
  isPolicy: false,
  specLayout: 'inline',
  specSchema: DataplaneSpecSchema,
  validate: validateDataplane,
  readOnlyOnFederatedZone: false,
  systemOnly: false,
  description: 'A data plane proxy: the services it implements (inbounds), consumes (outbounds) and its networking.',
});
