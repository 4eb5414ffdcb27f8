/**
 * The ownership graph both stores share. A resource is owned by its explicit `owner` and,
 * when mesh-scoped, implicitly by the Mesh of its mesh. Deleting an owner deletes everything
 * it owns, transitively. The store is otherwise type-agnostic: `Mesh` is the one type name it
 * knows, because mesh scoping is part of the key itself.
 */
import type { Resource, ResourceKey } from '../model/resource.js';

/** The type whose resources own every resource of the same-named mesh. */
export const MESH_TYPE = 'Mesh';

/** A string identifying `key` uniquely (for maps and sets). */
export function keyId(key: ResourceKey): string {
  return `${key.type}\u0000${key.mesh ?? ''}\u0000${key.name}`;
}

/** The Mesh that implicitly owns a mesh-scoped key, or undefined for a global-scoped one. */
export function implicitMeshOwner(key: ResourceKey): ResourceKey | undefined {
  return key.mesh === undefined ? undefined : { type: MESH_TYPE, name: key.mesh };
}

/** True when `resource` is a Mesh, i.e. owns every resource of the mesh of its name. */
export function isMesh(resource: Resource): boolean {
  return resource.type === MESH_TYPE && resource.meta.mesh === undefined;
}

/** {@link keyId} of a stored resource. */
export function resourceId(resource: Resource): string {
  return `${resource.type}\u0000${resource.meta.mesh ?? ''}\u0000${resource.meta.name}`;
}

/**
 * Everything a delete of `root` removes, dependents before their owners and `root` last
 * (so a consumer replaying the delete events never sees a dangling owner). Iterative DFS;
 * a visited set makes diamonds and (defensively) cycles safe.
 */
export function cascadeOrder(root: Resource, dependentsOf: (owner: Resource) => Iterable<Resource>): Resource[] {
  const visited = new Set<string>([resourceId(root)]);
  const out: Resource[] = [];
  const stack = [{ node: root, rest: dependentsOf(root)[Symbol.iterator]() }];
  for (let top = stack.at(-1); top !== undefined; top = stack.at(-1)) {
    const next = top.rest.next();
    if (next.done === true) {
      out.push(top.node);
      stack.pop();
      continue;
    }
    const id = resourceId(next.value);
    if (visited.has(id)) continue;
    visited.add(id);
    stack.push({ node: next.value, rest: dependentsOf(next.value)[Symbol.iterator]() });
  }
  return out;
}

/**
 * True when making `owner` the owner of `self` would close an ownership cycle, i.e. when
 * `self` is `owner` or one of its (explicit or mesh) ancestors. `explicitOwnerOf` answers the
 * stored explicit owner of a key (undefined when none or absent).
 */
export function wouldCycle(
  self: ResourceKey,
  owner: ResourceKey,
  explicitOwnerOf: (key: ResourceKey) => ResourceKey | undefined,
): boolean {
  const target = keyId(self);
  const seen = new Set<string>();
  const pending = [owner];
  for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
    const id = keyId(key);
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    const explicit = explicitOwnerOf(key);
    if (explicit !== undefined) pending.push(explicit);
    const mesh = implicitMeshOwner(key);
    if (mesh !== undefined) pending.push(mesh);
  }
  return false;
}
