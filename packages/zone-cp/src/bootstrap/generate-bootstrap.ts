import { isIP } from 'node:net';

/** Inputs of {@link generateBootstrap}. */
export interface BootstrapInput {
  /** Envoy node id (see `proxyIdOf`). */
  readonly nodeId: string;
  /** Envoy's `node.cluster`: the service name, for stats. */
  readonly nodeCluster: string;
  /** How the proxy reaches the CP's xDS port (what it used for the bootstrap request). */
  readonly cpHost: string;
  readonly cpPort: number;
  /** PEM bundle Envoy verifies the CP's certificate against; absent → the system trust store. */
  readonly cpCaPem?: string;
  /** Presented on every ADS stream as `authorization: Bearer <token>`. */
  readonly token: string;
  /** Envoy admin port, bound on loopback. */
  readonly adminPort: number;
  readonly xdsApi: 'DELTA_GRPC' | 'GRPC';
}

/** Where Debian-family systems keep the CA bundle, used when the CP's CA is not known. */
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

const HTTP_PROTOCOL_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

/**
 * The Envoy bootstrap of a proxy (proto3 JSON): node identity, admin on loopback, LDS/CDS via
 * ADS over TLS (ALPN h2) to the zone CP, the token in the stream's initial metadata. Pure.
 */
export function generateBootstrap(input: BootstrapInput): Record<string, unknown> {
  const trustedCa = input.cpCaPem === undefined ? { filename: SYSTEM_CA_BUNDLE } : { inline_string: input.cpCaPem };
  const ads = { ads: {}, resource_api_version: 'V3' };
  return {
    node: { id: input.nodeId, cluster: input.nodeCluster },
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: input.adminPort } } },
    dynamic_resources: {
      ads_config: {
        api_type: input.xdsApi,
        transport_api_version: 'V3',
        set_node_on_first_message_only: true,
        grpc_services: [
          {
            envoy_grpc: { cluster_name: 'ads_cluster' },
            initial_metadata: [{ key: 'authorization', value: `Bearer ${input.token}` }],
          },
        ],
      },
      lds_config: ads,
      cds_config: ads,
    },
    static_resources: {
      clusters: [
        {
          name: 'ads_cluster',
          // An IP needs no resolution; a host name is re-resolved so a moved CP is followed.
          type: isIP(input.cpHost) === 0 ? 'STRICT_DNS' : 'STATIC',
          connect_timeout: '5s',
          // `localhost` resolves to ::1 first on many hosts while CPs often bind IPv4 only.
          dns_lookup_family: 'V4_PREFERRED',
          typed_extension_protocol_options: {
            [HTTP_PROTOCOL_OPTIONS]: {
              '@type': `type.googleapis.com/${HTTP_PROTOCOL_OPTIONS}`,
              explicit_http_config: {
                http2_protocol_options: { connection_keepalive: { interval: '30s', timeout: '10s' } },
              },
            },
          },
          load_assignment: {
            cluster_name: 'ads_cluster',
            endpoints: [
              {
                lb_endpoints: [
                  { endpoint: { address: { socket_address: { address: input.cpHost, port_value: input.cpPort } } } },
                ],
              },
            ],
          },
          transport_socket: {
            name: 'envoy.transport_sockets.tls',
            typed_config: {
              '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
              sni: input.cpHost,
              common_tls_context: {
                alpn_protocols: ['h2'],
                validation_context: {
                  trusted_ca: trustedCa,
                  ...(isIP(input.cpHost) === 0
                    ? { match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: input.cpHost } }] }
                    : {
                        match_typed_subject_alt_names: [{ san_type: 'IP_ADDRESS', matcher: { exact: input.cpHost } }],
                      }),
                },
              },
            },
          },
        },
      ],
    },
  };
}
