import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { create, type DescFile, fromBinary, toBinary, toJson } from '@bufbuild/protobuf';
import { anyPack, anyUnpack, DurationSchema } from '@bufbuild/protobuf/wkt';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  Cluster_DiscoveryType,
  ClusterLoadAssignmentSchema,
  ClusterSchema,
  DiscoveryResponseSchema,
  envoyRegistry,
  HttpConnectionManagerSchema,
  LISTENER_TYPE_URL,
  ListenerSchema,
  ROUTE_CONFIGURATION_TYPE_URL,
  RouteConfigurationSchema,
  RouterSchema,
  SECRET_TYPE_URL,
  SecretSchema,
  typeUrlOf,
} from './envoy.js';
import { KDS_RESOURCE_TYPE_URL, KDS_SERVICE_NAME, KdsResourceSchema, KdsService, kdsRegistry } from './kds.js';

const genDir = fileURLToPath(new URL('./gen/', import.meta.url));

function generatedModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return generatedModules(path);
    return entry.name.endsWith('_pb.ts') ? [path] : [];
  });
}

function isDescFile(value: unknown): value is DescFile {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'file';
}

describe('envoy barrel', () => {
  it('has the type URLs Envoy expects', () => {
    assert.equal(CLUSTER_TYPE_URL, 'type.googleapis.com/envoy.config.cluster.v3.Cluster');
    assert.equal(typeUrlOf(ClusterSchema), CLUSTER_TYPE_URL);
    assert.equal(typeUrlOf(ListenerSchema), LISTENER_TYPE_URL);
    assert.equal(typeUrlOf(RouteConfigurationSchema), ROUTE_CONFIGURATION_TYPE_URL);
    assert.equal(typeUrlOf(ClusterLoadAssignmentSchema), CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    assert.equal(typeUrlOf(SecretSchema), SECRET_TYPE_URL);
  });

  it('registers every generated Envoy message', async () => {
    const modules = generatedModules(genDir).filter((path) => !relative(genDir, path).startsWith('kds'));
    assert.ok(modules.length > 50, `expected the generated tree under ${genDir}`);
    const missing: string[] = [];
    for (const path of modules) {
      const mod: Record<string, unknown> = await import(path);
      for (const file of Object.values(mod).filter(isDescFile)) {
        for (const message of file.messages) {
          if (envoyRegistry.getMessage(message.typeName) === undefined) missing.push(message.typeName);
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  it('resolves well-known types too', () => {
    assert.ok(envoyRegistry.getMessage(DurationSchema.typeName));
  });

  it('round-trips a DiscoveryResponse with Any-packed resources, in binary and JSON', () => {
    const cluster = create(ClusterSchema, {
      name: 'backend',
      clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.EDS },
      connectTimeout: { seconds: 5n },
    });
    const response = create(DiscoveryResponseSchema, {
      versionInfo: 'v1',
      typeUrl: CLUSTER_TYPE_URL,
      nonce: 'n1',
      resources: [anyPack(ClusterSchema, cluster)],
    });
    const decoded = fromBinary(DiscoveryResponseSchema, toBinary(DiscoveryResponseSchema, response));
    const any = decoded.resources[0];
    assert.ok(any);
    assert.equal(any.typeUrl, CLUSTER_TYPE_URL);
    const unpacked = anyUnpack(any, envoyRegistry);
    assert.ok(unpacked);
    assert.equal(unpacked.$typeName, 'envoy.config.cluster.v3.Cluster');

    const json = toJson(DiscoveryResponseSchema, decoded, { registry: envoyRegistry });
    assert.deepEqual(json, {
      versionInfo: 'v1',
      typeUrl: CLUSTER_TYPE_URL,
      nonce: 'n1',
      resources: [{ '@type': CLUSTER_TYPE_URL, name: 'backend', type: 'EDS', connectTimeout: '5s' }],
    });
  });

  it('packs HTTP filter configs into the connection manager', () => {
    const hcm = create(HttpConnectionManagerSchema, {
      statPrefix: 'inbound',
      httpFilters: [
        {
          name: 'envoy.filters.http.router',
          configType: { case: 'typedConfig', value: anyPack(RouterSchema, create(RouterSchema)) },
        },
      ],
    });
    const json = toJson(HttpConnectionManagerSchema, hcm, { registry: envoyRegistry }) as {
      httpFilters: { typedConfig: { '@type': string } }[];
    };
    assert.equal(json.httpFilters[0]?.typedConfig['@type'], typeUrlOf(RouterSchema));
  });
});

describe('kds barrel', () => {
  it('names the service and the envelope as the proto does', () => {
    assert.equal(KdsService.typeName, KDS_SERVICE_NAME);
    assert.equal(typeUrlOf(KdsResourceSchema), KDS_RESOURCE_TYPE_URL);
    assert.equal(KdsService.method.globalToZone.methodKind, 'bidi_streaming');
    assert.equal(KdsService.method.zoneToGlobal.methodKind, 'bidi_streaming');
    assert.equal(KdsService.method.globalToZone.input.typeName, 'envoy.service.discovery.v3.DeltaDiscoveryRequest');
    assert.equal(KdsService.method.zoneToGlobal.input.typeName, 'envoy.service.discovery.v3.DeltaDiscoveryResponse');
  });

  it('registers the envelope and the delta messages', () => {
    assert.ok(kdsRegistry.getMessage(KdsResourceSchema.typeName));
    assert.ok(kdsRegistry.getMessage('envoy.service.discovery.v3.DeltaDiscoveryResponse'));
  });
});
