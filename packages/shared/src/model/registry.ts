import { StraitError } from '../errors/strait-error.js';
import type { ResourceDescriptor } from './descriptor.js';

/** Looks up descriptors by type name, plural or CLI alias. */
export interface ResourceRegistry {
  /** Every descriptor, in registration order. */
  all(): readonly ResourceDescriptor[];
  /** By Kuma type name (`MeshTimeout`). */
  byName(type: string): ResourceDescriptor | undefined;
  /** By REST plural (`meshtimeouts`). */
  byPlural(plural: string): ResourceDescriptor | undefined;
  /** By anything a user may type: name, plural or alias, case-insensitive. */
  resolve(nameOrAlias: string): ResourceDescriptor | undefined;
  /** By type name; throws `Invalid` naming the field `type` when unknown. */
  require(type: string): ResourceDescriptor;
}

/** Builds a registry; refuses duplicate names, plurals or aliases. */
export function createRegistry(descriptors: readonly ResourceDescriptor[]): ResourceRegistry {
  const byName = new Map<string, ResourceDescriptor>();
  const byPlural = new Map<string, ResourceDescriptor>();
  const byAnyName = new Map<string, ResourceDescriptor>();
  const claim = (key: string, d: ResourceDescriptor): void => {
    const k = key.toLowerCase();
    const other = byAnyName.get(k);
    if (other !== undefined && other !== d) {
      throw new Error(`resource name "${key}" is claimed by both ${other.name} and ${d.name}`);
    }
    byAnyName.set(k, d);
  };
  for (const d of descriptors) {
    if (byName.has(d.name)) throw new Error(`duplicate resource type ${d.name}`);
    byName.set(d.name, d);
    byPlural.set(d.plural, d);
    for (const n of [d.name, d.plural, ...d.aliases]) claim(n, d);
  }
  const all = Object.freeze([...descriptors]);
  return Object.freeze({
    all: () => all,
    byName: (type: string) => byName.get(type),
    byPlural: (plural: string) => byPlural.get(plural),
    resolve: (n: string) => byAnyName.get(n.toLowerCase()),
    require(type: string): ResourceDescriptor {
      const d = byName.get(type);
      if (d === undefined) {
        throw new StraitError('Invalid', `unknown resource type "${type}"`, {
          violations: [{ field: 'type', reason: `unknown resource type "${type}"` }],
        });
      }
      return d;
    },
  });
}
