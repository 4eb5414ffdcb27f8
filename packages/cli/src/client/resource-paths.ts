import type { ResourceDescriptor } from '@strait/shared';

/** Where one resource lives, as far as its REST path goes. */
export interface ResourceLocation {
  /** For mesh-scoped types; ignored for global ones. */
  readonly mesh?: string;
  readonly name: string;
}

/** The collection of meshes, which is also the root of every mesh-scoped collection. */
export const MESHES_PATH = '/meshes';

/**
 * The REST collection of a type, from its descriptor: `/meshes/{mesh}/{plural}` for
 * mesh-scoped types, `/{plural}` for global ones (so Mesh itself is `/meshes`).
 */
export function collectionPath(d: ResourceDescriptor, mesh?: string): string {
  if (d.scope === 'global') return `/${d.plural}`;
  if (mesh === undefined) throw new Error(`${d.name} is mesh-scoped: a mesh is required`);
  return `${MESHES_PATH}/${encodeURIComponent(mesh)}/${d.plural}`;
}

/** The REST path of one resource: its collection plus `/{name}`. */
export function resourcePath(d: ResourceDescriptor, at: ResourceLocation): string {
  return `${collectionPath(d, at.mesh)}/${encodeURIComponent(at.name)}`;
}
