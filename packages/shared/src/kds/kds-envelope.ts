/**
 * A resource in transit: the delta `Resource` (name = the receiver's key, version = content
 * hash) wrapping an `Any` of `KdsResource` (meta, and spec/status as UTF-8 JSON of the universal
 * form). Encoding is cheap and done once per change; decoding validates everything a peer could
 * get wrong, because the receiver writes what it decodes into its store.
 */

import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ResourceSchema, type Resource as WireResourceMessage } from '@strait/proto/envoy';
import { KDS_RESOURCE_TYPE_URL, type KdsResource, KdsResourceSchema } from '@strait/proto/kds';
import { isStraitError, StraitError } from '../errors/strait-error.js';
import { parseUniversal, type UniversalObject } from '../model/codec.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import type { ResourceRegistry } from '../model/registry.js';
import type { ResourceInput } from '../model/resource.js';
import type { MappedResource } from './kds-flow.js';
import { kdsWireName } from './kds-names.js';
import { kdsContentVersion } from './kds-version.js';

/** An encoded resource, ready to go into a response, with what the sender tracks about it. */
export interface WireResource {
  /** Key on the receiving side (`<mesh>/<name>` or `<name>`). */
  readonly name: string;
  /** Content hash. */
  readonly version: string;
  readonly message: WireResourceMessage;
  /** Serialized size of `message`. */
  readonly bytes: number;
}

const encoder = new TextEncoder();

/** JSON bytes of a value (empty for undefined). */
function jsonBytes(value: unknown): Uint8Array {
  return value === undefined ? new Uint8Array() : encoder.encode(JSON.stringify(value));
}

/** Encodes a mapped resource for the wire. */
export function encodeKdsResource(resource: MappedResource): WireResource {
  const name = kdsWireName(resource.mesh, resource.name);
  const version = kdsContentVersion(resource);
  const envelope = create(KdsResourceSchema, {
    meta: {
      type: resource.type,
      name: resource.name,
      mesh: resource.mesh ?? '',
      labels: { ...resource.labels },
      version: String(resource.storeVersion),
      creationTime: timestampFromDate(new Date(resource.creationTime)),
      modificationTime: timestampFromDate(new Date(resource.modificationTime)),
    },
    spec: jsonBytes(resource.spec),
    status: jsonBytes(resource.status),
  });
  const message = create(ResourceSchema, {
    name,
    version,
    resource: { typeUrl: KDS_RESOURCE_TYPE_URL, value: toBinary(KdsResourceSchema, envelope) },
  });
  return { name, version, message, bytes: toBinary(ResourceSchema, message).byteLength };
}

/** A refusal of one incoming resource (code Invalid). */
function refused(name: string, reason: string): StraitError {
  return new StraitError('Invalid', `${name || '(unnamed)'}: ${reason}`);
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function parseJson(bytes: Uint8Array, field: string, name: string): unknown {
  if (bytes.byteLength === 0) return undefined;
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch (err) {
    throw refused(name, `${field} is not UTF-8 JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

function unpack(message: WireResourceMessage): KdsResource {
  const packed = message.resource;
  if (packed === undefined) throw refused(message.name, 'has no resource body');
  if (packed.typeUrl !== KDS_RESOURCE_TYPE_URL) {
    throw refused(message.name, `resource is an Any of "${packed.typeUrl}", not ${KDS_RESOURCE_TYPE_URL}`);
  }
  try {
    return fromBinary(KdsResourceSchema, packed.value);
  } catch (err) {
    throw refused(message.name, `resource does not decode (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** The universal object a decoded envelope stands for (meta wins over any same-named spec field). */
function universalOf(descriptor: ResourceDescriptor, envelope: KdsResource, name: string): UniversalObject {
  const meta = envelope.meta;
  const spec = parseJson(envelope.spec, 'spec', name);
  const status = parseJson(envelope.status, 'status', name);
  const object: UniversalObject = {};
  if (descriptor.specLayout === 'inline') {
    if (spec !== undefined && (typeof spec !== 'object' || spec === null || Array.isArray(spec))) {
      throw refused(name, 'spec must be a JSON object');
    }
    Object.assign(object, spec);
  } else if (spec !== undefined) {
    object.spec = spec;
  }
  object.type = descriptor.name;
  object.name = meta?.name ?? '';
  if (meta?.mesh !== undefined && meta.mesh !== '') object.mesh = meta.mesh;
  object.labels = { ...(meta?.labels ?? {}) };
  if (status !== undefined) object.status = status;
  return object;
}

/**
 * Decodes and validates one incoming resource of the type `descriptor`. Throws a `StraitError`
 * (Invalid) naming the resource and the reason when it is not a well-formed, schema-valid
 * resource of that type whose wire name matches its meta.
 */
export function decodeKdsResource(
  registry: ResourceRegistry,
  descriptor: ResourceDescriptor,
  message: WireResourceMessage,
): ResourceInput {
  const envelope = unpack(message);
  const name = message.name;
  const type = envelope.meta?.type ?? '';
  if (type !== descriptor.name) {
    throw refused(name, `travels on the ${descriptor.name} stream but says it is a "${type}"`);
  }
  if (descriptor.scope === 'mesh' && (envelope.meta?.mesh ?? '') === '') {
    throw refused(name, `${descriptor.name} is mesh-scoped: meta.mesh must be set`);
  }
  let input: ResourceInput;
  try {
    input = parseUniversal(registry, universalOf(descriptor, envelope, name), { type: descriptor.name });
  } catch (err) {
    if (isStraitError(err, 'Invalid')) throw refused(name, err.message);
    throw err;
  }
  const expected = kdsWireName(input.mesh, input.name);
  if (name !== expected) throw refused(name, `wire name must be "${expected}" (from meta.mesh and meta.name)`);
  return input;
}

/** The content version of an input, as the receiver will store it (see `kds-version.ts`). */
export function versionOfInput(input: ResourceInput): string {
  return kdsContentVersion({ labels: input.labels ?? {}, spec: input.spec, status: input.status });
}
