/**
 * Mesh mTLS on both sides of a connection. The proxy's certificate and the mesh CA come over
 * SDS on the ADS stream; peers are verified by the URI SANs of their certificates.
 */

import { create, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import {
  type CommonTlsContext,
  CommonTlsContextSchema,
  DownstreamTlsContextSchema,
  type StringMatcher,
  SubjectAltNameMatcher_SanType,
  TlsParameters_TlsProtocol,
  type TransportSocket,
  TransportSocketSchema,
  UpstreamTlsContextSchema,
} from '@strait/proto/envoy';
import { SERVICE_TAG, serviceSni } from '@strait/shared';
import { adsConfigSource, Extensions, typedConfig } from './envoy-parts.js';
import { identityCertSecretName, meshCaSecretName, meshSpiffePrefix, serviceSpiffeId } from './names.js';
import type { ProxyContext } from './proxy-context.js';

/** SDS names of the proxy's certificate and of the mesh CA (the context's, else Kuma's defaults). */
export function secretNamesOf(ctx: ProxyContext): SecretNames {
  return {
    cert: ctx.identity?.certSecretName ?? identityCertSecretName(ctx.mesh.name),
    ca: ctx.identity?.caSecretName ?? meshCaSecretName(ctx.mesh.name),
  };
}

/** SDS names of a proxy's certificate and of its mesh's CA. */
export interface SecretNames {
  readonly cert: string;
  readonly ca: string;
}

/** Presents the proxy's certificate and accepts peers signed by the mesh CA whose URI SAN matches `peer`. */
function commonTlsContext(names: SecretNames, peer: StringMatcher['matchPattern']): CommonTlsContext {
  return create(CommonTlsContextSchema, {
    tlsParams: { tlsMinimumProtocolVersion: TlsParameters_TlsProtocol.TLSv1_2 },
    tlsCertificateSdsSecretConfigs: [{ name: names.cert, sdsConfig: adsConfigSource() }],
    validationContextType: {
      case: 'combinedValidationContext',
      value: {
        defaultValidationContext: {
          matchTypedSubjectAltNames: [{ sanType: SubjectAltNameMatcher_SanType.URI, matcher: { matchPattern: peer } }],
        },
        validationContextSdsSecretConfig: { name: names.ca, sdsConfig: adsConfigSource() },
      },
    },
  });
}

function tlsTransportSocket<Desc extends DescMessage>(schema: Desc, init: MessageInitShape<Desc>): TransportSocket {
  return create(TransportSocketSchema, {
    name: Extensions.tlsTransportSocket,
    configType: { case: 'typedConfig', value: typedConfig(schema, init) },
  });
}

/**
 * The server side of an inbound: requires a client certificate from any identity of the mesh
 * (who may call is RBAC's business, so that a denial is an RBAC stat, not a handshake failure).
 */
export function inboundTlsTransportSocket(ctx: ProxyContext): TransportSocket {
  return inboundTlsTransportSocketOf(ctx.mesh.name, secretNamesOf(ctx));
}

/** {@link inboundTlsTransportSocket} from just what it depends on: the mesh and the SDS names. */
export function inboundTlsTransportSocketOf(mesh: string, names: SecretNames): TransportSocket {
  return tlsTransportSocket(DownstreamTlsContextSchema, {
    commonTlsContext: commonTlsContext(names, { case: 'prefix', value: meshSpiffePrefix(mesh) }),
    requireClientCertificate: true,
  });
}

/**
 * The client side of an outbound: presents the proxy's identity, accepts only
 * `spiffe://<mesh>/<service>`, and sends the service's SNI (`backend{mesh=default}`), by which a
 * zone ingress picks where to pass the connection on. A sidecar's inbound does not match on
 * server names, so local endpoints accept the same handshake.
 */
export function outboundTlsTransportSocket(ctx: ProxyContext, service: string): TransportSocket {
  return tlsTransportSocket(UpstreamTlsContextSchema, {
    commonTlsContext: commonTlsContext(secretNamesOf(ctx), {
      case: 'exact',
      value: serviceSpiffeId(ctx.mesh.name, service),
    }),
    sni: serviceSni(ctx.mesh.name, { [SERVICE_TAG]: service }),
  });
}
