/** The legacy Prometheus metrics backend config shared by Mesh and Dataplane `metrics`. */
import { Type } from '@sinclair/typebox';
import { closed, enumOf, port, stringMap } from './schema.js';

/** Configuration of the `prometheus` metrics backend. */
export const PrometheusConfSchema = closed(
  {
    port: Type.Optional(port('Port on which the proxy exposes Prometheus metrics.')),
    path: Type.Optional(Type.String({ description: 'Path on which the proxy exposes metrics, /metrics when unset.' })),
    tags: Type.Optional(stringMap('Tags attached to the metrics of this proxy.')),
    skipMTLS: Type.Optional(Type.Boolean({ description: 'Serve metrics without mTLS even when the mesh has mTLS.' })),
    tls: Type.Optional(
      closed(
        {
          mode: Type.Optional(
            enumOf(
              ['activeMTLSBackend', 'providedTLS', 'disabled', 'delegated'],
              'How the metrics listener is secured; activeMTLSBackend when unset.',
            ),
          ),
        },
        'TLS of the metrics listener.',
      ),
    ),
    aggregate: Type.Optional(
      Type.Array(
        closed(
          {
            name: Type.String({ description: 'Name of this application endpoint.' }),
            port: port('Port of the application metrics endpoint.'),
            path: Type.Optional(Type.String({ description: 'Path of the application metrics endpoint.' })),
            address: Type.Optional(Type.String({ description: 'Address of the application metrics endpoint.' })),
            enabled: Type.Optional(Type.Boolean({ description: 'Scrape this endpoint; true when unset.' })),
          },
          'An application endpoint whose metrics the proxy merges into its own.',
        ),
        { description: 'Application metrics endpoints to aggregate.' },
      ),
    ),
    envoy: Type.Optional(
      closed(
        {
          filterRegex: Type.Optional(Type.String({ description: 'Only Envoy metrics matching this regex.' })),
          usedOnly: Type.Optional(Type.Boolean({ description: 'Only metrics Envoy has updated.' })),
        },
        'Which Envoy metrics to expose.',
      ),
    ),
  },
  'Prometheus backend configuration.',
);
