/**
 * ZoneIngress: the proxy that carries cross-zone traffic into its zone, and the services
 * it makes available to other zones. Legacy layout: spec fields at the top level.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
import { field } from './common/field.js';
import { checkedString, closed, nonNegativeInt, port, stringMap } from './common/schema.js';
import { validateTags } from './common/tags.js';

/** Spec of a ZoneIngress (universal form, inline). */
export const ZoneIngressSpecSchema = closed(
  {
    zone: Type.Optional(Type.String({ description: 'Zone the ingress serves; set by the control plane.' })),
    networking: closed(
      {
        address: Type.Optional(checkedString('address', 'Address on which the ingress listener is exposed.')),
        port: port('Port of the ingress listener.'),
        advertisedAddress: Type.Optional(
          checkedString('address', 'Address at which other zones reach this ingress; set with advertisedPort.'),
        ),
        advertisedPort: Type.Optional(
          port('Port at which other zones reach this ingress; set with advertisedAddress.'),
        ),
        admin: Type.Optional(
          closed({ port: Type.Optional(port('Port of the Envoy admin API (on loopback).')) }, 'Envoy admin API.'),
        ),
      },
      'Where the ingress listens and where other zones reach it.',
    ),
    availableServices: Type.Optional(
      Type.Array(
        closed(
          {
            tags: stringMap('Tags of the endpoints; kuma.io/service is required.'),
            instances: Type.Optional(nonNegativeInt('Number of instances with these tags.')),
            mesh: Type.Optional(Type.String({ description: 'Mesh of the instances.' })),
            externalService: Type.Optional(Type.Boolean({ description: 'Whether this is an external service.' })),
          },
          'A set of endpoints the ingress makes available, identified by tags.',
        ),
        { description: 'Services reachable through this ingress; computed by the zone control plane.' },
      ),
    ),
  },
  'ZoneIngress specification.',
);
export type ZoneIngressSpec = Static<typeof ZoneIngressSpecSchema>;

function validateZoneIngress(spec: ZoneIngressSpec): Violation[] {
  const out = runChecks(ZoneIngressSpecSchema, spec);
  const net = spec.networking;
  if (net.advertisedAddress !== undefined && net.advertisedPort === undefined) {
    out.push({ field: 'networking.advertisedPort', reason: 'must be set together with advertisedAddress' });
  }
  if (net.advertisedPort !== undefined && net.advertisedAddress === undefined) {
    out.push({ field: 'networking.advertisedAddress', reason: 'must be set together with advertisedPort' });
  }
  if (net.admin?.port !== undefined && net.admin.port === net.port) {
    out.push({ field: 'networking.admin.port', reason: 'must differ from port' });
  }
  (spec.availableServices ?? []).forEach((s, i) => {
    out.push(...validateTags(s.tags, field('availableServices', i, 'tags'), { requireService: true }));
  });
  return out;
}

/** The ZoneIngress resource type. */
export const zoneIngressDescriptor: ResourceDescriptor<typeof ZoneIngressSpecSchema> = Object.freeze({
  name: 'ZoneIngress',
  plural: 'zoneingresses',
  aliases: ['zoneingress', 'zone-ingress', 'zone-ingresses', 'zi'],
  scope: 'global',
  kds: 'zone-to-global',
  isPolicy: false,
  specLayout: 'inline',
  specSchema: ZoneIngressSpecSchema,
  validate: validateZoneIngress,
  readOnlyOnFederatedZone: false,
  systemOnly: false,
  description: 'A zone ingress proxy: where other zones reach this zone, and which services it exposes to them.',
});
