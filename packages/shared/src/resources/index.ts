/** Every built-in resource type, as a descriptor, and the registry built from them. */
import type { TSchema } from '@sinclair/typebox';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { createRegistry, type ResourceRegistry } from '../model/registry.js';
import { meshDescriptor } from './mesh.js';

export { type MeshSpec, MeshSpecSchema, meshDescriptor } from './mesh.js';

/**
 * Forgets a descriptor's spec type so it fits in a list of descriptors. `validate` takes the
 * typed spec; the codec only calls it with a spec that passed the same descriptor's schema.
 */
function untyped<S extends TSchema>(d: ResourceDescriptor<S>): ResourceDescriptor {
  return d as unknown as ResourceDescriptor;
}

/** All built-in descriptors, in registration order. */
export const builtinDescriptors: readonly ResourceDescriptor[] = Object.freeze([meshDescriptor].map(untyped));

/** The registry of built-in types. */
export const builtinRegistry: ResourceRegistry = createRegistry(builtinDescriptors);
