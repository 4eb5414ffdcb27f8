import type { ResourceDescriptor, ResourceRegistry } from '@strait/shared';
import { usageError } from './usage-error.js';

/**
 * Resolves what the user typed (`meshes`, `Mesh`, `mtp`, `dataplane`) to a descriptor,
 * case-insensitively, by name, plural or alias. An unknown type is a usage error that lists
 * the types there are.
 */
export function resolveResourceType(registry: ResourceRegistry, typed: string): ResourceDescriptor {
  const d = registry.resolve(typed);
  if (d !== undefined) return d;
  const known = registry
    .all()
    .map((t) => t.plural)
    .sort()
    .join(', ');
  throw usageError(`unknown resource type "${typed}"; one of: ${known}`);
}
