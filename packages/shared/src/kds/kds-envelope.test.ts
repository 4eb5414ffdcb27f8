import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ResourceSchema } from '@strait/proto/envoy';
import { KDS_RESOURCE_TYPE_URL, KdsResourceSchema } from '@strait/proto/kds';
import { isStraitError } from '../errors/strait-error.js';
import { builtinRegistry } from '../resources/index.js';
import { decodeKdsResource, encodeKdsResource, versionOfInput } from './kds-envelope.js';
import type { MappedResource } from './kds-flow.js';
import { kdsContentVersion } from './kds-version.js';

const registry = builtinRegistry;

const mesh: MappedResource = {
  type: 'Mesh',
  name: 'default',
  labels: { 'kuma.io/origin': 'global' },
  spec: { mtls: { enabledBackend: 'ca-1', backends: [{ name: 'ca-1', type: 'builtin' }] } },
  creationTime: '2024-01-01T00:00:00.000Z',
  modificationTime: '2024-01-02T00:00:00.000Z',
  storeVersion: 42,
};

const timeout: MappedResource = {
  type: 'MeshTimeout',
  mesh: 'default',
  name: 'timeouts-abc',
  labels: { 'kuma.io/origin': 'global', 'kuma.io/display-name': 'timeouts' },
  spec: { targetRef: { kind: 'Mesh' }, to: [{ targetRef: { kind: 'Mesh' }, default: { idleTimeout: '1m' } }] },
  creationTime: '2024-01-01T00:00:00.000Z',
  modificationTime: '2024-01-01T00:00:00.000Z',
  storeVersion: 3,
};

/** Re-packs a wire resource after editing its envelope. */
function withEnvelope(
  mapped: MappedResource,
  edit: (e: ReturnType<typeof fromBinary<typeof KdsResourceSchema>>) => void,
) {
  const wire = encodeKdsResource(mapped).message;
  const envelope = fromBinary(KdsResourceSchema, wire.resource?.value ?? new Uint8Array());
  edit(envelope);
  return create(ResourceSchema, {
    name: wire.name,
    version: wire.version,
    resource: { typeUrl: KDS_RESOURCE_TYPE_URL, value: toBinary(KdsResourceSchema, envelope) },
  });
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isStraitError(err, 'Invalid'));
    return err.message;
  }
  assert.fail('expected a refusal');
}

describe('KDS resource envelope', () => {
  it('round-trips inline and nested layouts; the version is the content hash of what the receiver stores', () => {
    for (const mapped of [mesh, timeout]) {
      const wire = encodeKdsResource(mapped);
      assert.equal(wire.name, mapped.mesh === undefined ? mapped.name : `${mapped.mesh}/${mapped.name}`);
      assert.equal(wire.bytes, toBinary(ResourceSchema, wire.message).byteLength);
      const input = decodeKdsResource(registry, registry.require(mapped.type), wire.message);
      assert.equal(input.name, mapped.name);
      assert.deepEqual(input.labels, mapped.labels);
      assert.deepEqual(input.spec, mapped.spec);
      assert.equal(wire.version, versionOfInput(input));
      assert.equal(wire.version, kdsContentVersion({ labels: mapped.labels, spec: mapped.spec }));
    }
    const envelope = fromBinary(KdsResourceSchema, encodeKdsResource(mesh).message.resource?.value ?? new Uint8Array());
    assert.equal(envelope.meta?.version, '42');
    assert.equal(new TextDecoder().decode(envelope.spec), JSON.stringify(mesh.spec));
  });

  it('content versions ignore key order and change with labels', () => {
    assert.equal(
      kdsContentVersion({ labels: { a: '1', b: '2' }, spec: { x: 1, y: 2 } }),
      kdsContentVersion({ labels: { b: '2', a: '1' }, spec: { y: 2, x: 1 } }),
    );
    assert.notEqual(kdsContentVersion({ labels: {}, spec: {} }), kdsContentVersion({ labels: { a: '1' }, spec: {} }));
  });

  it('refuses what a peer could get wrong, naming the resource', () => {
    const d = registry.require('MeshTimeout');
    assert.match(
      refusal(() => decodeKdsResource(registry, registry.require('MeshRetry'), encodeKdsResource(timeout).message)),
      /travels on the MeshRetry stream but says it is a "MeshTimeout"/,
    );
    assert.match(
      refusal(() =>
        decodeKdsResource(
          registry,
          d,
          withEnvelope(timeout, (e) => {
            if (e.meta) e.meta.mesh = '';
          }),
        ),
      ),
      /meta\.mesh must be set/,
    );
    assert.match(
      refusal(() =>
        decodeKdsResource(
          registry,
          d,
          withEnvelope(timeout, (e) => {
            if (e.meta) e.meta.name = 'other';
          }),
        ),
      ),
      /wire name must be "default\/other"/,
    );
    assert.match(
      refusal(() =>
        decodeKdsResource(
          registry,
          d,
          withEnvelope(timeout, (e) => (e.spec = new TextEncoder().encode('{"to": ['))),
        ),
      ),
      /default\/timeouts-abc: spec is not UTF-8 JSON/,
    );
    assert.match(
      refusal(() =>
        decodeKdsResource(
          registry,
          registry.require('Mesh'),
          withEnvelope(mesh, (e) => (e.spec = new TextEncoder().encode('[1]'))),
        ),
      ),
      /spec must be a JSON object/,
    );
    assert.match(
      refusal(() =>
        decodeKdsResource(
          registry,
          d,
          encodeKdsResource({ ...timeout, spec: { targetRef: { kind: 'Nope' } } }).message,
        ),
      ),
      /spec\.targetRef\.kind/,
    );
    assert.match(
      refusal(() => decodeKdsResource(registry, d, create(ResourceSchema, { name: 'default/x' }))),
      /has no resource body/,
    );
  });
});
